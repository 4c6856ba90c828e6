/**
 * The one vocabulary (DOMAIN.md) shared by the simulator, the models, the parts catalogue and the
 * dispatcher: a failure the simulator injects is the failure mode the model names, the part the
 * service reserves and the skill the dispatcher asks for.
 */

export const deviceModels = ['split-ac', 'refrigerator', 'water-purifier', 'washing-machine'] as const;
export type DeviceModel = (typeof deviceModels)[number];

export const skills = [
  'refrigeration',
  'electrical',
  'electronics',
  'mechanical',
  'water_treatment',
  'general_service',
] as const;
export type Skill = (typeof skills)[number];

export interface MetricSpec {
  name: string;
  unit: string;
  label: string;
  /** Typical healthy operating range, for charts and sanity checks. */
  healthy: readonly [number, number];
  /** A running total (litres through the filters, wash cycles): it grows with use, not with a fault. */
  cumulative?: boolean;
}

export interface FailureSignature {
  metric: string;
  /** Direction the metric moves as the failure develops. */
  direction: 'up' | 'down';
}

export interface FailureModeSpec {
  id: string;
  label: string;
  component: string;
  signature: readonly FailureSignature[];
  /** Typical days the failure shows in telemetry before the device stops working. */
  leadDays: readonly [number, number];
  part: string | null;
  skill: Skill;
  certificationRequired: boolean;
  /**
   * The command that clears this failure mode on the device itself (a reset, a recalibration): a
   * ticket resolved by it needs no visit. Null when only a visit mends it, including a mode a command
   * merely eases.
   */
  remoteFix: string | null;
  repairMinutes: number;
}

export interface DeviceModelSpec {
  model: DeviceModel;
  label: string;
  /**
   * For machines that cycle on and off within the hour: the reading that tells an hour the machine
   * ran. A stopped compressor draws no current however worn it is, so daily means over idle hours
   * hide a fault; comparisons of its health use running hours only.
   */
  running?: { metric: string; above: number };
  /**
   * A regular phase of a healthy machine that takes its readings out of their ranges: a
   * refrigerator's defrost, when the heater warms the evaporator above zero for half an hour a few
   * times a day. A reading of `metric` above `above` marks it; readings then are not judged.
   */
  defrost?: { metric: string; above: number };
  metrics: readonly MetricSpec[];
  failureModes: readonly FailureModeSpec[];
}

const m = (
  name: string,
  unit: string,
  label: string,
  healthy: [number, number],
  options: { cumulative?: boolean } = {},
): MetricSpec => ({
  name,
  unit,
  label,
  healthy,
  ...options,
});
const up = (metric: string): FailureSignature => ({ metric, direction: 'up' });
const down = (metric: string): FailureSignature => ({ metric, direction: 'down' });

export const catalog: Record<DeviceModel, DeviceModelSpec> = {
  'split-ac': {
    model: 'split-ac',
    label: 'Split air conditioner',
    running: { metric: 'compressor_current_a', above: 1 },
    metrics: [
      m('supply_air_temp_c', '°C', 'Supply air temperature', [10, 18]),
      m('return_air_temp_c', '°C', 'Return air temperature', [22, 30]),
      m('outdoor_temp_c', '°C', 'Outdoor temperature', [15, 45]),
      m('compressor_current_a', 'A', 'Compressor current', [4, 8]),
      m('discharge_temp_c', '°C', 'Discharge temperature', [60, 85]),
      m('suction_pressure_kpa', 'kPa', 'Suction pressure', [420, 520]),
      m('condenser_fan_rpm', 'rpm', 'Condenser fan speed', [800, 950]),
      m('power_w', 'W', 'Power draw', [800, 1800]),
      m('vibration_mm_s', 'mm/s', 'Vibration', [0.5, 2.5]),
    ],
    failureModes: [
      {
        id: 'refrigerant_leak',
        label: 'Refrigerant leak',
        component: 'refrigerant_circuit',
        signature: [down('suction_pressure_kpa'), up('supply_air_temp_c'), up('power_w')],
        leadDays: [14, 40],
        part: 'AC-RFG-KIT',
        skill: 'refrigeration',
        certificationRequired: true,
        remoteFix: null,
        repairMinutes: 120,
      },
      {
        id: 'compressor_wear',
        label: 'Compressor wear',
        component: 'compressor',
        signature: [up('compressor_current_a'), up('discharge_temp_c'), up('vibration_mm_s')],
        leadDays: [14, 35],
        part: 'AC-COMP',
        skill: 'refrigeration',
        certificationRequired: true,
        remoteFix: null,
        repairMinutes: 240,
      },
      {
        id: 'condenser_fan_bearing',
        label: 'Condenser fan motor bearing',
        component: 'condenser_fan_motor',
        signature: [down('condenser_fan_rpm'), up('vibration_mm_s'), up('discharge_temp_c')],
        leadDays: [5, 20],
        part: 'AC-FANMOTOR',
        skill: 'electrical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 90,
      },
      {
        id: 'clogged_filter',
        label: 'Clogged filter / coil',
        component: 'air_filter',
        signature: [up('power_w'), down('supply_air_temp_c')],
        leadDays: [14, 45],
        part: 'AC-FILTER',
        skill: 'general_service',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 45,
      },
      {
        id: 'capacitor_degradation',
        label: 'Run capacitor degradation',
        component: 'capacitor',
        signature: [up('compressor_current_a')],
        leadDays: [3, 10],
        part: 'AC-CAP',
        skill: 'electrical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 30,
      },
    ],
  },
  refrigerator: {
    model: 'refrigerator',
    label: 'Refrigerator',
    defrost: { metric: 'defrost_heater_current_a', above: 0.3 },
    metrics: [
      m('cabinet_temp_c', '°C', 'Cabinet temperature', [2, 5]),
      m('freezer_temp_c', '°C', 'Freezer temperature', [-20, -16]),
      m('evaporator_temp_c', '°C', 'Evaporator temperature', [-28, -20]),
      m('compressor_duty_pct', '%', 'Compressor duty cycle', [30, 50]),
      m('compressor_current_a', 'A', 'Compressor current', [0.8, 1.4]),
      m('door_open_count', 'count', 'Door openings (per interval)', [0, 6]),
      m('defrost_heater_current_a', 'A', 'Defrost heater current', [0, 1.2]),
      m('ambient_temp_c', '°C', 'Ambient temperature', [18, 35]),
    ],
    failureModes: [
      {
        id: 'door_gasket_leak',
        label: 'Door gasket leak',
        component: 'door_gasket',
        signature: [up('compressor_duty_pct'), up('cabinet_temp_c')],
        leadDays: [14, 40],
        part: 'RF-GASKET',
        skill: 'general_service',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 45,
      },
      {
        id: 'defrost_heater_failure',
        label: 'Defrost heater failure',
        component: 'defrost_heater',
        signature: [down('defrost_heater_current_a'), down('evaporator_temp_c'), up('cabinet_temp_c')],
        leadDays: [3, 10],
        part: 'RF-DEFROST',
        skill: 'electrical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 60,
      },
      {
        id: 'sensor_drift',
        label: 'Thermostat / sensor drift',
        component: 'control_board_sensor',
        signature: [down('cabinet_temp_c'), up('compressor_duty_pct')],
        leadDays: [14, 35],
        part: 'RF-SENSOR',
        skill: 'electronics',
        certificationRequired: false,
        remoteFix: 'recalibrate_sensor',
        repairMinutes: 30,
      },
      {
        id: 'compressor_wear',
        label: 'Compressor wear',
        component: 'compressor',
        signature: [up('compressor_current_a'), up('compressor_duty_pct')],
        leadDays: [14, 35],
        part: 'RF-COMP',
        skill: 'refrigeration',
        certificationRequired: true,
        remoteFix: null,
        repairMinutes: 180,
      },
    ],
  },
  'water-purifier': {
    model: 'water-purifier',
    label: 'RO water purifier',
    metrics: [
      m('tds_in_ppm', 'ppm', 'Input TDS', [250, 600]),
      m('tds_out_ppm', 'ppm', 'Output TDS', [20, 60]),
      m('membrane_pressure_kpa', 'kPa', 'Membrane pressure', [450, 600]),
      m('flow_lpm', 'L/min', 'Flow', [1.2, 2.0]),
      m('pump_current_a', 'A', 'Booster pump current', [0.5, 0.9]),
      m('uv_intensity_pct', '%', 'UV intensity', [75, 100]),
      m('filter_liters_total', 'L', 'Litres through filters', [0, 6000], { cumulative: true }),
    ],
    failureModes: [
      {
        id: 'membrane_fouling',
        label: 'Membrane fouling',
        component: 'ro_membrane',
        signature: [up('membrane_pressure_kpa'), down('flow_lpm'), up('tds_out_ppm')],
        leadDays: [14, 40],
        part: 'WP-MEMBRANE',
        skill: 'water_treatment',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 45,
      },
      {
        id: 'prefilter_exhausted',
        label: 'Pre-filter exhausted',
        component: 'prefilter',
        signature: [down('membrane_pressure_kpa'), down('flow_lpm')],
        leadDays: [10, 30],
        part: 'WP-FILTERSET',
        skill: 'general_service',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 30,
      },
      {
        id: 'booster_pump_wear',
        label: 'Booster pump wear',
        component: 'booster_pump',
        signature: [up('pump_current_a'), down('membrane_pressure_kpa')],
        leadDays: [10, 30],
        part: 'WP-PUMP',
        skill: 'electrical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 60,
      },
      {
        id: 'uv_lamp_ageing',
        label: 'UV lamp ageing',
        component: 'uv_lamp',
        signature: [down('uv_intensity_pct')],
        leadDays: [30, 90],
        part: 'WP-UVLAMP',
        skill: 'general_service',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 20,
      },
      {
        id: 'controller_fault',
        label: 'Controller fault',
        component: 'control_board',
        signature: [up('pump_current_a')],
        leadDays: [2, 7],
        part: null,
        skill: 'electronics',
        certificationRequired: false,
        remoteFix: 'reset_controller',
        repairMinutes: 30,
      },
    ],
  },
  'washing-machine': {
    model: 'washing-machine',
    label: 'Front-load washing machine',
    metrics: [
      m('drum_vibration_g', 'g', 'Drum vibration at spin', [0.1, 0.5]),
      m('motor_current_a', 'A', 'Motor current', [1.5, 3.5]),
      m('drum_rpm', 'rpm', 'Drum speed', [0, 1400]),
      m('inlet_flow_lpm', 'L/min', 'Inlet flow', [6, 12]),
      m('drain_time_s', 's', 'Drain time', [40, 90]),
      m('heater_current_a', 'A', 'Heater current', [0, 9]),
      m('water_temp_c', '°C', 'Water temperature', [15, 60]),
      m('cycle_count', 'count', 'Cycles completed', [0, 5000], { cumulative: true }),
    ],
    failureModes: [
      {
        id: 'drum_bearing_wear',
        label: 'Drum bearing wear',
        component: 'drum_bearing',
        signature: [up('drum_vibration_g'), up('motor_current_a')],
        leadDays: [14, 40],
        part: 'WM-BEARINGKIT',
        skill: 'mechanical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 150,
      },
      {
        id: 'drain_pump_clog',
        label: 'Drain pump clog',
        component: 'drain_pump',
        signature: [up('drain_time_s')],
        leadDays: [5, 20],
        part: 'WM-DRAINPUMP',
        skill: 'general_service',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 40,
      },
      {
        id: 'heater_element_failure',
        label: 'Heater element failure',
        component: 'heater',
        signature: [down('heater_current_a'), down('water_temp_c')],
        leadDays: [3, 10],
        part: 'WM-HEATER',
        skill: 'electrical',
        certificationRequired: false,
        remoteFix: null,
        repairMinutes: 60,
      },
      {
        id: 'suspension_wear',
        label: 'Unbalance / suspension wear',
        component: 'shock_absorbers',
        signature: [up('drum_vibration_g')],
        leadDays: [14, 35],
        part: 'WM-SHOCKSET',
        skill: 'mechanical',
        certificationRequired: false,
        // A gentler spin eases the shaking until the visit; it does not mend worn shock absorbers.
        remoteFix: null,
        repairMinutes: 75,
      },
    ],
  },
};

export function metricSpec(model: DeviceModel, metric: string): MetricSpec | undefined {
  return catalog[model].metrics.find((s) => s.name === metric);
}

export function failureMode(model: DeviceModel, id: string): FailureModeSpec | undefined {
  return catalog[model].failureModes.find((f) => f.id === id);
}

/** What planners call each component; ids alone would read "Ro membrane". */
const componentLabels: Record<string, string> = {
  air_filter: 'Air filter',
  booster_pump: 'Booster pump',
  capacitor: 'Run capacitor',
  compressor: 'Compressor',
  condenser_fan_motor: 'Condenser fan motor',
  control_board: 'Control board',
  control_board_sensor: 'Control board and sensors',
  defrost_heater: 'Defrost heater',
  door_gasket: 'Door gasket',
  drain_pump: 'Drain pump',
  drum_bearing: 'Drum bearing',
  heater: 'Water heater',
  prefilter: 'Pre-filter',
  refrigerant_circuit: 'Refrigerant circuit',
  ro_membrane: 'RO membrane',
  shock_absorbers: 'Shock absorbers',
  uv_lamp: 'UV lamp',
};

/** The component's label, or null for an id the catalogue does not know. */
export function componentLabel(component: string): string | null {
  return Object.hasOwn(componentLabels, component) ? componentLabels[component]! : null;
}

/**
 * A part by what it replaces ("Run capacitor" for AC-CAP), for people who do not read SKUs: the label
 * of the component a failure mode of `model` (of any model, when left out) fits the part to; null for
 * a SKU that no failure mode calls for.
 */
export function partComponentLabel(sku: string, model?: DeviceModel): string | null {
  for (const m of model ? [model] : deviceModels) {
    const mode = catalog[m].failureModes.find((f) => f.part === sku);
    if (mode) return componentLabel(mode.component);
  }
  return null;
}
