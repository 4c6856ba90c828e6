import type { DeviceModel } from '@aftercare/core';

/**
 * The technician's on-site procedure for every failure mode of the catalogue, written as a service
 * manual would: confirm the symptom, measure what proves the cause, fix it, and check the fix
 * before leaving. Skill, remote fix and repair time come from the catalogue; only the steps are here.
 */
export const troubleshootingSteps: Record<DeviceModel, Record<string, readonly string[]>> = {
  'split-ac': {
    refrigerant_leak: [
      'Run the unit in cooling mode for 15 minutes, then read suction pressure at the service valve and the supply and return air temperatures; a cooling delta under 8 °C with suction pressure below 420 kPa points to undercharge.',
      'Check the flare joints, service valves and indoor coil U-bends with an electronic leak detector, then confirm any indication with soap solution; look for oil staining at joints as a sign of a long-standing leak.',
      'Recover the remaining refrigerant into a recovery cylinder, repair the leak (re-flare or braze with nitrogen flowing) and replace the valve cores if they were the source.',
      "Pressure-test with dry nitrogen at the manufacturer's test pressure for 30 minutes with no drop, then evacuate to below 500 microns and hold for 10 minutes.",
      'Charge by weight to the nameplate amount, run 20 minutes and record suction pressure, discharge temperature and cooling delta (expect 8–14 °C) on the ticket.',
    ],
    compressor_wear: [
      'Measure compressor running current with a clamp meter against the nameplate RLA and read the discharge temperature; current more than 20 % above RLA with discharge above 95 °C confirms a labouring compressor.',
      'Rule out external causes first: clean the condenser coil, check the condenser fan speed and the run capacitor (within ±6 % of its rating), and verify supply voltage under load is within ±10 %.',
      'Check winding resistances (C–R, C–S, R–S) and insulation resistance to earth (above 2 MΩ at 500 V); listen for knocking at start and measure vibration at the compressor feet.',
      'If the compressor is confirmed worn, recover the refrigerant, replace the compressor and the filter-drier, pressure-test, evacuate below 500 microns and charge by weight.',
      'Run 30 minutes and record current, discharge temperature, suction pressure and vibration on the ticket; tag the removed compressor with the ticket number for the defective-part return.',
    ],
    condenser_fan_bearing: [
      'With the unit isolated, spin the fan blade by hand: roughness, axial play or a blade that stops abruptly indicates worn motor bearings.',
      'Restore power and read the fan speed with a tachometer and the motor current; speed more than 10 % under nominal with normal supply voltage confirms the motor is dragging.',
      'Test the fan capacitor with a capacitance meter before condemning the motor; a weak capacitor gives the same slow speed.',
      'Replace the fan motor (and the capacitor if it is out of tolerance), check blade clearance to the shroud and tighten the blade set screw on the shaft flat.',
      'Run 15 minutes and record fan speed, vibration and discharge temperature on the ticket; discharge should fall back into the 60–85 °C range.',
    ],
    clogged_filter: [
      'Remove the indoor filters and inspect them against light; record whether they are blocked, and check the evaporator coil face for dust matting or ice.',
      'If the coil is iced, run the unit in fan-only mode until it clears before cleaning; never chip ice off the fins.',
      'Wash the filters (replace them if torn or brittle), clean the evaporator coil with a non-acidic foaming cleaner and flush the drain pan and drain line.',
      'Refit, run cooling for 15 minutes and record the supply-to-return delta and power draw; remind the customer to clean the filters every two weeks in heavy use.',
    ],
    capacitor_degradation: [
      'Isolate the unit and discharge the run capacitor through a resistor before touching the terminals.',
      'Measure the capacitance of each section (HERM and FAN) and compare with the rating on the label; more than 6 % below rating, bulging or oil leakage means it must be replaced.',
      'Replace with a capacitor of the same µF rating and an equal or higher voltage rating, and check the terminals and wiring for heat discoloration.',
      'Restart and watch the compressor start: it should start at the first attempt with no repeated clicking from the overload; record the start and running current on the ticket.',
    ],
  },
  refrigerator: {
    door_gasket_leak: [
      'Close the door on a strip of paper at several points around the seal; paper that pulls out without resistance marks a gap. Check the hinge side and the corners in particular.',
      'Look for a torn, hardened or twisted gasket and for a door that has dropped on its hinges; check the cabinet is level, leaning slightly backwards so the door closes by itself.',
      'Adjust the hinges if the door sags; if the gasket is damaged or has lost its magnetism, replace it, warming the new gasket with a hair dryer so it seats flat.',
      'Repeat the paper test all round, then leave the door closed for 30 minutes and confirm the cabinet returns to 2–5 °C with the compressor duty falling.',
    ],
    defrost_heater_failure: [
      'Remove the freezer back panel and inspect the evaporator: a solid block of ice over the whole coil (not only the top) points to a failed defrost system.',
      'Measure the resistance of the defrost heater; an open circuit confirms a failed heater. Check the defrost thermostat (bi-metal) for continuity when cold (below −5 °C).',
      "Force a defrost cycle from the control board's service mode and measure the heater current; zero current with a good heater means the board or the wiring is at fault.",
      'Replace the faulty heater or thermostat, melt off the remaining ice with warm water or a steamer (never a sharp tool), and clear the defrost drain.',
      'Restore power, force one defrost cycle, and record the heater current and the evaporator temperature recovery on the ticket.',
    ],
    sensor_drift: [
      'Place a calibrated probe thermometer in a glass of water in the middle of the cabinet for 30 minutes and compare it with the temperature the appliance reports.',
      'If the difference is more than 1.5 °C, first try the remote recalibration of the sensor offset from the ticket and check the reading again after 30 minutes.',
      'If the offset cannot be corrected, measure the sensor resistance at a known temperature against the table in the service manual and check the connector for corrosion.',
      'Replace the sensor when it is out of tolerance, then confirm the compressor cycles normally (duty 30–50 %) and that the cabinet settles at the set point.',
    ],
    compressor_wear: [
      'Measure the compressor current and watch its duty: running close to 100 % with current above nameplate and a warm cabinet indicates a weak compressor.',
      'Clean the condenser coil and check the condenser fan (on fan-cooled models), the door seals and the ambient ventilation gap before condemning the compressor.',
      'Check winding resistances and insulation to earth, and test the start relay and overload protector; a failing relay can mimic a worn compressor.',
      'If the compressor is confirmed worn, recover the refrigerant, replace the compressor and filter-drier, evacuate and charge by weight to the nameplate amount.',
      'Run for at least an hour and record current, duty cycle and cabinet and freezer temperatures on the ticket; return the old compressor tagged with the ticket number.',
    ],
  },
  'water-purifier': {
    membrane_fouling: [
      'Measure input and output TDS with a calibrated TDS meter and read the membrane feed pressure and the product flow; rejection below 85 % with pressure up and flow down confirms fouling.',
      'Check the pre-filters first: an exhausted carbon filter lets chlorine through and damages the membrane, and must be replaced with it.',
      'Replace the RO membrane, flushing the new one for 10 minutes to drain before connecting it to the tank.',
      'Record input and output TDS, feed pressure and flow after 15 minutes of production; output TDS should be back under 60 ppm.',
    ],
    prefilter_exhausted: [
      'Read the litres counter and the filter installation date on the ticket, and compare the feed pressure before and after the filter housings.',
      'Open the housings and inspect the sediment filter (brown, clogged) and the carbon filter; replace the set as one, with the housing O-rings.',
      'Flush the new carbon filter to drain until the water runs clear, check the housings for leaks under pressure, and reset the filter litres counter.',
      'Record the feed pressure and flow after the change; advise the customer of the expected filter life at their water quality.',
    ],
    booster_pump_wear: [
      'Measure the pump current and the outlet pressure with the purifier producing; current above 0.9 A with pressure below 450 kPa indicates a worn pump head or motor.',
      'Check the supply voltage at the pump and the inlet pressure; a starved inlet (closed valve, clogged sediment filter) gives the same low outlet pressure.',
      'Listen for bearing noise and check the pump head for leaks; replace the pump if the pressure does not recover with a good inlet supply.',
      'Record current, membrane pressure and flow after 15 minutes of production on the ticket.',
    ],
    uv_lamp_ageing: [
      'Read the UV intensity reported by the device and check the lamp hours; intensity below 75 % means the disinfection margin is no longer assured.',
      'Isolate the power, remove the lamp from its quartz sleeve and inspect the sleeve for scaling; clean it with a lint-free cloth and mild descaler.',
      'Fit the new lamp without touching the glass with bare fingers, reassemble and check that the lamp lights and the intensity reading is above 90 %.',
      'Disinfect the product tank and outlet line when the lamp was below the safe limit, and record the new intensity on the ticket.',
    ],
    controller_fault: [
      'Read the error codes on the ticket and on the display, and note the cycling pattern (pump starting and stopping, valve chattering).',
      'Try the remote controller reset from the ticket first; if the device answers and cycles normally for 30 minutes, no visit is needed.',
      'On site, check the tank float switch, the low-pressure and high-pressure switches and the solenoid valve coil; a faulty switch often looks like a controller fault.',
      'Reseat the board connectors, update the firmware setting if the service bulletin calls for it, and observe three complete fill cycles before closing the job.',
    ],
  },
  'washing-machine': {
    drum_bearing_wear: [
      'Turn the empty drum by hand and rock it up and down: a rumbling noise or play at the drum rim confirms worn drum bearings.',
      'Run a spin cycle and listen for a rising roar with speed; check for water or rust streaks under the tub that show a failed shaft seal.',
      'Strip the tub, press out the bearings and shaft seal, and inspect the drum shaft and spider arm for corrosion or wear grooves.',
      'Fit the bearing kit (both bearings and the seal, with the supplied grease), reassemble and leak-test with a rinse cycle.',
      'Run a full spin and record drum vibration and motor current on the ticket; return the worn bearings tagged with the ticket number.',
    ],
    drain_pump_clog: [
      'Open the filter hatch at the front, drain the residual water into a low tray, and remove the pump filter; clear coins, hair and lint.',
      'Turn the pump impeller with a finger: it should turn freely with a little magnetic resistance; a broken or jammed impeller means the pump must be replaced.',
      'Check the drain hose for kinks and the standpipe height (no more than 100 cm), and clear the sump hose if the blockage is upstream of the pump.',
      'Run a rinse-and-spin cycle and record the drain time on the ticket; it should be back under 90 seconds.',
    ],
    heater_element_failure: [
      'Run a 60 °C wash and read the heater current and the water temperature; no heater current with the heating phase active confirms the fault.',
      'Isolate the machine and measure the element resistance (typically 20–30 Ω) and its insulation to earth; an open circuit or low insulation means replacement.',
      'Check the NTC temperature sensor resistance against the service table and the heater relay on the control board before fitting a new element.',
      'Fit the new heater, making sure it engages the bracket inside the tub, then run a 60 °C wash and record the heater current and the temperature reached.',
    ],
    suspension_wear: [
      'Push the tub down and release it: it should return and settle without bouncing; bouncing or a tub that sits low points to worn shock absorbers or springs.',
      'Check the machine is level with all four feet locked and the transit bolts removed; an unlevel machine gives the same aborted spins.',
      'Advise the customer to use a gentle, low-speed spin programme only as a stop-gap (it eases the shaking, it mends nothing), then replace the shock absorber set (always as a set) and any stretched suspension springs.',
      'Run a spin with a normal load and record the drum vibration at full speed on the ticket; the spin should complete without being aborted.',
    ],
  },
};
