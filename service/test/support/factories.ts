import type {
  CreateAmcPlanBody,
  CreateCustomerBody,
  CreatePartnerBody,
  CreateSiteBody,
  CreateStockLocationBody,
  CreateTechnicianBody,
  ProvisionServiceDeviceBody,
  Risk,
} from '@aftercare/core';
import { workingHoursMiss } from '@aftercare/core';

let next = 0;
const seq = () => String(++next).padStart(4, '0');

export const day = 86_400_000;
export const hour = 3_600_000;

/** When `aTechnician`'s technicians work, unless a test gives them other hours. */
export const testWorkingHours = {
  days: [1, 2, 3, 4, 5, 6],
  start: '09:00',
  end: '18:00',
  timezone: 'Asia/Kolkata',
};

/**
 * The first visit of `minutes` that starts on a quarter hour at or after `earliest` and lies inside
 * the test technicians' working hours: what a planner can book for them from then on, whatever the
 * time of day or week the suite runs at.
 */
export function aWorkingVisit(minutes = 60, earliest = Date.now() + hour): { start: number; end: number } {
  const quarter = 15 * 60_000;
  let start = Math.ceil(earliest / quarter) * quarter;
  while (workingHoursMiss(testWorkingHours, { start, end: start + minutes * 60_000 }, 'test') !== null)
    start += quarter;
  return { start, end: start + minutes * 60_000 };
}

/** A valid provisioning body with a fresh id; override what the test is about. */
export function aDevice(overrides: Partial<ProvisionServiceDeviceBody> = {}): ProvisionServiceDeviceBody {
  return { id: `dev-${seq()}`, model: 'split-ac', ...overrides };
}

export function aCustomer(overrides: Partial<CreateCustomerBody> = {}): CreateCustomerBody {
  const n = seq();
  return {
    id: `cust-${n}`,
    name: `Customer ${n}`,
    kind: 'residential',
    contact: { email: `customer${n}@example.com` },
    ...overrides,
  };
}

export function aSite(overrides: Partial<CreateSiteBody> = {}): CreateSiteBody {
  return { name: `Site ${seq()}`, address: '12 MG Road, Bengaluru', lat: 12.975, lon: 77.605, ...overrides };
}

export function aPartner(overrides: Partial<CreatePartnerBody> = {}): CreatePartnerBody {
  const n = seq();
  return {
    id: `partner-${n}`,
    name: `Service centre ${n}`,
    kind: 'authorised_centre',
    lat: 12.97,
    lon: 77.6,
    coverageRadiusKm: 25,
    ...overrides,
  };
}

/** A technician holding every skill of the split AC catalogue, refrigeration certified until `certifiedUntil`. */
export function aTechnician(
  overrides: Partial<CreateTechnicianBody> & { certifiedUntil?: number } = {},
): CreateTechnicianBody {
  const { certifiedUntil = Date.UTC(2030, 0, 1), ...rest } = overrides;
  const n = seq();
  return {
    id: `tech-${n}`,
    name: `Technician ${n}`,
    home: { lat: 12.96, lon: 77.59 },
    workingHours: testWorkingHours,
    dailyCapacityMinutes: 420,
    skills: [
      { skill: 'refrigeration', certificateId: `RAC-${n}`, certifiedUntil },
      { skill: 'electrical' },
      { skill: 'general_service' },
    ],
    ...rest,
  };
}

export function aPlan(overrides: Partial<CreateAmcPlanBody> = {}): CreateAmcPlanBody {
  return {
    id: `plan-${seq()}`,
    name: 'Comprehensive AMC',
    visitsPerYear: 4,
    slaResponseHours: 24,
    coversLabour: true,
    coversParts: true,
    priceCents: 4_900,
    ...overrides,
  };
}

export function aStockLocation(overrides: Partial<CreateStockLocationBody> = {}): CreateStockLocationBody {
  return {
    id: `loc-${seq()}`,
    name: 'Central warehouse',
    kind: 'central_warehouse',
    lat: 12.9,
    lon: 77.5,
    ...overrides,
  };
}

/** A compressor-wear risk for a split AC, as the models hand it over. */
export function aRisk(deviceId: string, overrides: Partial<Risk> = {}): Risk {
  return {
    deviceId,
    model: 'split-ac',
    component: 'compressor',
    failureMode: 'compressor_wear',
    pFail: 0.82,
    daysLeft: 9,
    horizonDays: 14,
    modelVersion: 'split-ac@3',
    scoredAt: Date.UTC(2026, 10, 26, 6),
    dataUntil: Date.UTC(2026, 10, 26, 5, 55),
    drivers: [
      {
        metric: 'discharge_temp_c',
        label: 'Discharge temperature',
        unit: '°C',
        change: 6.1,
        overDays: 9,
        direction: 'up',
        weight: 0.6,
        text: 'Discharge temperature +6.1 °C over 9 days',
      },
    ],
    ...overrides,
  };
}
