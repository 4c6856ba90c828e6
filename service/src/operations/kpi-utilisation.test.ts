import { PART_RETURN_DAYS } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { kpiReport, partnerScorecards } from './kpi-insights.ts';
import type {
  InsightData,
  InsightDevice,
  InsightFilter,
  InsightOnSite,
  InsightTicket,
} from './kpi-records.ts';

/*
 * A week of two partners in two areas: Monday 2 to Monday 9 March 2026, five working days of 480
 * minutes each, 2,400 minutes of capacity per technician. Kannan (p1, servicing Adyar) works 600
 * minutes in Adyar and 600 helping out in Velachery; Ravi (p2, servicing Velachery) works 240.
 */
const monday = Date.UTC(2026, 2, 2);
const at = (day: number) => monday + day * 86_400_000 + 10 * 3_600_000;
const nextMonday = monday + 7 * 86_400_000;
const adyar: InsightDevice = {
  id: 'ac-1',
  model: 'split-ac',
  installedAt: null,
  region: 'Adyar',
  servicedBy: 'p1',
};
const velachery: InsightDevice = {
  id: 'wm-1',
  model: 'washing-machine',
  installedAt: null,
  region: 'Velachery',
  servicedBy: 'p2',
};
const onSite: InsightOnSite[] = [
  { technicianId: 't1', at: at(0), minutes: 600 },
  { technicianId: 't1', at: at(1), minutes: 600 },
  { technicianId: 't2', at: at(2), minutes: 240 },
];
const everyone = [
  { id: 't1', name: 'Kannan', partnerId: 'p1', workDays: [1, 2, 3, 4, 5], dailyCapacityMinutes: 480 },
  { id: 't2', name: 'Ravi', partnerId: 'p2', workDays: [1, 2, 3, 4, 5], dailyCapacityMinutes: 480 },
];
const partners = [
  { id: 'p1', name: 'Adyar Service Point', kind: 'franchise' },
  { id: 'p2', name: 'Velachery Cool Care', kind: 'franchise' },
];

/** The records as the loader gives them: devices of the region and model filters, technicians of the partner's. */
function week(filter: Partial<InsightFilter>, devices: InsightDevice[]): InsightData {
  const partnerId = filter.partnerId ?? null;
  return {
    filter: { from: monday, to: nextMonday, model: null, partnerId: null, region: null, ...filter },
    utcOffsetMin: 0,
    devices,
    tickets: [],
    feedback: [],
    partners: partners.filter((p) => partnerId === null || p.id === partnerId),
    technicians: everyone.filter((t) => partnerId === null || t.partnerId === partnerId),
    onSite,
    regions: ['Adyar', 'Velachery'],
  };
}

const utilisation = (data: InsightData) => kpiReport(data, 'partner', nextMonday).overall.utilisation;

describe('technician utilisation under the filters', () => {
  it('divides the minutes every technician worked by their capacity without a filter', () => {
    expect(utilisation(week({}, [adyar, velachery]))).toBe((1200 + 240) / 4800);
  });

  it("counts a region's technicians with all their time, not the region's minutes over everyone's capacity", () => {
    // Kannan's partner services Adyar: his week, Velachery included, over his own capacity.
    // Adyar's minutes over the whole workforce read 600 / 4800, an eighth, as if half its team sat idle.
    const local = week({ region: 'Adyar' }, [adyar]);
    expect(utilisation(local)).toBe(1200 / 2400);
    expect(utilisation(week({ region: 'Velachery' }, [velachery]))).toBe(240 / 2400);
    // A partner's figure is the same whichever region it services is chosen.
    const p1 = kpiReport(local, 'partner', nextMonday).groups.find((g) => g.key === 'p1')!;
    expect(p1.kpis.utilisation).toBe(utilisation(week({ partnerId: 'p1' }, [adyar])));
  });

  it('has no figure for a partner that does not service the region asked about', () => {
    expect(utilisation(week({ region: 'Velachery', partnerId: 'p1' }, [velachery]))).toBeNull();
    expect(utilisation(week({ region: 'Adyar', partnerId: 'p1' }, [adyar]))).toBe(0.5);
  });

  it('leaves utilisation out under a device model filter: technicians are not split by model', () => {
    const washers = week({ model: 'washing-machine' }, [velachery]);
    expect(utilisation(washers)).toBeNull();
    expect(kpiReport(washers, 'technician', nextMonday).groups).toEqual([]);
    expect(partnerScorecards(washers, nextMonday).map((c) => c.kpis.utilisation)).toEqual([null, null]);
  });
});

describe('defective parts returned on the scorecard', () => {
  /** A job of Kannan's partner whose part was fitted `fittedDaysAgo` days before the scorecard's day. */
  const job = (id: string, fittedDaysAgo: number, returned: number): InsightTicket => ({
    id,
    kind: 'predictive',
    status: 'closed',
    deviceId: adyar.id,
    model: 'split-ac',
    component: 'compressor',
    failureMode: 'compressor_wear',
    technicianId: 't1',
    partnerId: 'p1',
    openedAt: nextMonday - 30 * 86_400_000,
    resolvedAt: nextMonday - fittedDaysAgo * 86_400_000,
    cancelledAt: null,
    slaDueAt: nextMonday,
    firstOnSiteAt: nextMonday - fittedDaysAgo * 86_400_000,
    firstArrival: 'on_time',
    firstVisitTechnicianId: 't1',
    firstVisitPartnerId: 'p1',
    visits: 1,
    verified: true,
    fixedRemotely: false,
    onSiteMinutes: 60,
    partsUsed: 1,
    firstPartAt: nextMonday - fittedDaysAgo * 86_400_000,
    secondVisitAt: null,
    partsToReturn: 1,
    partsReturned: returned,
  });

  it('counts a part still out only once its return window has passed; one fitted yesterday counts neither way', () => {
    const data = {
      ...week({}, [adyar]),
      tickets: [
        job('back', 20, 1),
        job('late', PART_RETURN_DAYS + 1, 0),
        job('yesterday', 1, 0),
        job('early', 2, 1),
      ],
    };
    const [p1] = partnerScorecards(data, nextMonday);
    expect(p1).toMatchObject({ partsToReturn: 3, partsReturned: 2 });
  });
});
