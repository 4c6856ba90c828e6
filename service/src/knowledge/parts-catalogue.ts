import type { DeviceModel } from '@aftercare/core';

export interface CataloguePart {
  sku: string;
  model: DeviceModel;
  name: string;
  priceCents: number;
  returnRequired: boolean;
  consumable: boolean;
}

/**
 * List prices of the parts the catalogue's failure modes call for. What each part fixes is read
 * from core's catalogue, so a failure mode and its part cannot drift apart. Parts worth refurbishing
 * or prone to fraudulent claims must come back; consumables are used up on the job.
 */
export const catalogueParts: readonly CataloguePart[] = [
  {
    sku: 'AC-RFG-KIT',
    model: 'split-ac',
    name: 'Refrigerant recharge and leak repair kit (R32)',
    priceCents: 6_500,
    returnRequired: false,
    consumable: true,
  },
  {
    sku: 'AC-COMP',
    model: 'split-ac',
    name: 'Rotary compressor 1.5 t',
    priceCents: 18_500,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'AC-FANMOTOR',
    model: 'split-ac',
    name: 'Outdoor condenser fan motor',
    priceCents: 4_800,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'AC-FILTER',
    model: 'split-ac',
    name: 'Indoor air filter pair and coil cleaner',
    priceCents: 1_200,
    returnRequired: false,
    consumable: true,
  },
  {
    sku: 'AC-CAP',
    model: 'split-ac',
    name: 'Dual run capacitor 35+5 µF 450 V',
    priceCents: 1_500,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'RF-GASKET',
    model: 'refrigerator',
    name: 'Fresh-food door gasket',
    priceCents: 2_900,
    returnRequired: false,
    consumable: false,
  },
  {
    sku: 'RF-DEFROST',
    model: 'refrigerator',
    name: 'Defrost heater with thermostat',
    priceCents: 3_400,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'RF-SENSOR',
    model: 'refrigerator',
    name: 'Cabinet temperature sensor (NTC)',
    priceCents: 900,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'RF-COMP',
    model: 'refrigerator',
    name: 'Reciprocating compressor 1/5 hp',
    priceCents: 14_500,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'WP-MEMBRANE',
    model: 'water-purifier',
    name: 'RO membrane 80 GPD',
    priceCents: 3_800,
    returnRequired: false,
    consumable: true,
  },
  {
    sku: 'WP-FILTERSET',
    model: 'water-purifier',
    name: 'Sediment and carbon pre-filter set',
    priceCents: 1_600,
    returnRequired: false,
    consumable: true,
  },
  {
    sku: 'WP-PUMP',
    model: 'water-purifier',
    name: 'RO booster pump 24 V',
    priceCents: 4_200,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'WP-UVLAMP',
    model: 'water-purifier',
    name: 'UV lamp 11 W',
    priceCents: 2_100,
    returnRequired: false,
    consumable: true,
  },
  {
    sku: 'WM-BEARINGKIT',
    model: 'washing-machine',
    name: 'Drum bearing and seal kit',
    priceCents: 3_600,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'WM-DRAINPUMP',
    model: 'washing-machine',
    name: 'Drain pump',
    priceCents: 2_700,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'WM-HEATER',
    model: 'washing-machine',
    name: 'Heating element 2000 W',
    priceCents: 2_500,
    returnRequired: true,
    consumable: false,
  },
  {
    sku: 'WM-SHOCKSET',
    model: 'washing-machine',
    name: 'Shock absorber set (pair)',
    priceCents: 3_100,
    returnRequired: false,
    consumable: false,
  },
];
