import type { DeviceModel } from '@aftercare/core';

/**
 * The periodic service visit an AMC contract entitles, per device model: the preventive checklist a
 * technician works through on every visit, whatever is or is not wrong. It is a knowledge-base entry
 * like a failure mode's guide, filed under `periodicServiceGuide` instead of a failure mode, and it
 * comes with no remote fix: a service visit is hands-on by definition.
 */
export const periodicServiceGuide = 'periodic_service';

export const periodicServiceTitle = 'Periodic service visit (AMC)';

/** On-site minutes of the checklist for one device (the AMC schedule's per-device allowance). */
export const periodicServiceMinutes = 25;

export const serviceChecklists: Record<DeviceModel, readonly string[]> = {
  'split-ac': [
    'Ask the customer about noise, cooling or water leaks since the last visit, and read the running hours and error log from the indoor unit.',
    'Isolate the unit; wash or replace the indoor filters and clean the evaporator coil face and blower wheel with a non-acidic foaming cleaner.',
    'Flush the drain pan and drain line until water runs freely; check the drain slope and the insulation on the line.',
    'Clean the outdoor condenser coil (from the inside out), check the fan blade and bearings for play, and clear leaves and debris around the unit.',
    'Check the run capacitor against its rating, tighten the electrical terminals and look for heat discoloration at the contactor.',
    'Run cooling for 15 minutes and record suction pressure, discharge temperature, running current and the supply-to-return delta (expect 8–14 °C) on the ticket.',
  ],
  refrigerator: [
    'Ask the customer about cooling, frost or noise since the last visit, and read the cabinet and freezer temperatures the appliance reports.',
    'Check the door gaskets all round with the paper test, and the door alignment and hinge screws; clean the gaskets with mild soapy water.',
    'Pull the appliance out and vacuum the condenser coil and the compressor compartment; check the condenser fan turns freely.',
    'Clear the defrost drain and the drip tray; look for ice building up on the freezer back panel.',
    'Place a calibrated probe thermometer in the cabinet for 30 minutes and compare with the reported temperature (within 1.5 °C).',
    'Record cabinet and freezer temperatures, compressor running current and duty on the ticket, and check the appliance is level, leaning slightly back.',
  ],
  'water-purifier': [
    'Ask the customer about taste, flow and leaks since the last visit, and read the TDS of the feed and product water and the UV lamp hours.',
    'Replace the sediment and carbon pre-filters due under the plan and flush the new cartridges before connecting them to the membrane.',
    'Check the RO membrane: product TDS rejection above 90 % and normal flow mean it stays; otherwise note it for replacement on the ticket.',
    'Clean the UV chamber sleeve and confirm the lamp lights; replace it if it is past its rated hours.',
    'Sanitise the storage tank, check the pump pressure and the float or pressure switch cuts off when the tank is full, and look for leaks at every fitting.',
    'Record feed and product TDS, flow rate and the filters changed on the ticket, with the date of the next change on the unit label.',
  ],
  'washing-machine': [
    'Ask the customer about noise, leaks, draining and error codes since the last visit, and read the error log from the control panel.',
    'Clean the drain pump filter and the detergent drawer; check the inlet hoses and their filter screens for limescale and cracks.',
    'Inspect the door seal for tears and mould and clean it; check the door lock engages.',
    'Run a short spin and listen to the drum bearings and suspension; check the drum for play and the shock absorbers for leaks.',
    'Check the machine is level, the transit bolts are out and the feet are locked; tighten the power and earth connections.',
    'Run a drum-clean cycle and record drain time, motor current and any error codes on the ticket.',
  ],
};
