import { describe, expect, it } from 'vitest';
import type { VisitRecord } from './backtest-types.ts';
import { streamJobsOf } from './dispatch-days.ts';

const hour = 3_600_000;
const day = 24 * hour;
/** Monday 23 November 2026, 00:00 in Chennai (UTC+5:30). */
const monday = Date.UTC(2026, 10, 22, 18, 30);

/** A visit as the backtest's ledger records it. */
function visit(overrides: Partial<VisitRecord> & Pick<VisitRecord, 'ticketId' | 'start'>): VisitRecord {
  return {
    kind: 'predictive',
    technicianId: 'tech-01',
    end: overrides.start + hour,
    position: { lat: 13.05, lon: 80.25 },
    skill: 'refrigeration',
    certificationRequired: true,
    slaDueAt: monday + 5 * day,
    planned: { at: monday - day, within: { start: monday + 9 * hour, end: monday + 5 * day } },
    priority: 3,
    first: true,
    fitsRoutes: false,
    partInHand: true,
    needsPart: true,
    ...overrides,
  };
}

describe('the backtest visits as a dispatch stream', () => {
  // Monday 10:00 the technician came without the part; at 11:30 the second visit was planned for Wednesday.
  const first = visit({ ticketId: 't-1', start: monday + 10 * hour, partInHand: false });
  const revisit = visit({
    ticketId: 't-1',
    start: monday + 2 * day + 9 * hour,
    first: false,
    // Planned at 11:30, for any time from 15:30 on (the customer's notice).
    planned: { at: monday + 11.5 * hour, within: { start: monday + 15.5 * hour, end: monday + 6 * day } },
  });
  const other = visit({ ticketId: 't-2', start: monday + 14 * hour, kind: 'corrective', priority: 2 });

  it('keeps each visit as a job in the order the ledger has them', () => {
    const jobs = streamJobsOf([first, other, revisit]);
    expect(jobs.map((j) => j.id)).toEqual(['job-0', 'job-1', 'job-2']);
    expect(jobs[1]).toMatchObject({
      durationMinutes: 60,
      slaDueAt: other.slaDueAt,
      arrivesAt: other.planned.at,
      within: other.planned.within,
      priority: 2,
      skill: 'refrigeration',
      certificationRequired: true,
    });
  });

  it('closes a visit’s window so that it ends before the visit that followed it was planned', () => {
    const [job, , followUp] = streamJobsOf([first, other, revisit]);
    // It could have started as late as 11:30, when the revisit was planned; it really started at 10:00.
    expect(job!.within).toEqual({ start: monday + 9 * hour, end: monday + 11.5 * hour });
    expect(job!.within.end).toBeGreaterThanOrEqual(first.start);
    expect(followUp!.within).toEqual(revisit.planned.within);
  });

  it('keeps a minute of window when the revisit was planned the moment the visit started', () => {
    // The technician arrived at 10:00 without the part; the revisit was planned at 10:00 too.
    const atOnce = { ...revisit, planned: { ...revisit.planned, at: first.start } };
    const [job] = streamJobsOf([first, atOnce]);
    expect(job!.within).toEqual({ start: monday + 9 * hour, end: first.start + 60_000 });
  });

  it('leaves the window of a visit nothing followed as the planner had it', () => {
    const [job] = streamJobsOf([other]);
    expect(job!.within).toEqual(other.planned.within);
  });

  it('finds the follow-up by time, not by where the ledger put it', () => {
    const jobs = streamJobsOf([revisit, first]);
    expect(jobs[1]!.within.end).toBe(monday + 11.5 * hour);
    expect(jobs[0]!.within).toEqual(revisit.planned.within);
  });

  it('makes an AMC visit the route fill placed known from its window’s start, not from its booking', () => {
    // Ticket opened Monday 01:30 for a window to 9 January; the route fill gave it Wednesday, on Tuesday evening.
    const amc = visit({
      ticketId: 't-3',
      kind: 'amc_visit',
      start: monday + 2 * day + 11 * hour,
      fitsRoutes: true,
      priority: 3,
      planned: {
        at: monday + day + 19 * hour,
        within: { start: monday + 1.5 * hour, end: monday + 47 * day },
      },
    });
    const [job] = streamJobsOf([amc]);
    expect(job).toMatchObject({
      arrivesAt: monday + 1.5 * hour,
      within: amc.planned.within,
      fitsRoutes: true,
    });
    expect(streamJobsOf([first])[0]).toMatchObject({ arrivesAt: first.planned.at, fitsRoutes: false });
  });

  it("sends an AMC visit the route fill held to its technician's partner, and counts every AMC visit against the share", () => {
    const partnerOf = new Map([['tech-01', 'partner-02']]);
    const held = visit({ ticketId: 't-5', kind: 'amc_visit', start: monday + 10 * hour, fitsRoutes: true });
    const dispatched = visit({ ticketId: 't-6', kind: 'amc_visit', start: monday + 11 * hour });
    const [heldJob, dispatchedJob, repair] = streamJobsOf([held, dispatched, other], partnerOf);
    expect(heldJob).toMatchObject({ partnerId: 'partner-02', amcShare: true });
    // Booked by the normal dispatch (a folded repair, a second visit): anyone's, but still AMC minutes.
    expect(dispatchedJob).toMatchObject({ amcShare: true });
    expect(dispatchedJob).not.toHaveProperty('partnerId');
    expect(repair).not.toHaveProperty('partnerId');
    expect(repair).not.toHaveProperty('amcShare');
  });

  it('holds predictive work that waited for the route fill until its release, as the platform did', () => {
    // Opened Monday 11:00 as P4; the fill released it on Wednesday evening and the dispatch gave it Thursday.
    const released = visit({
      ticketId: 't-4',
      start: monday + 3 * day + 10 * hour,
      fitsRoutes: true,
      releaseAt: monday + 2 * day + 11 * hour,
      priority: 4,
      planned: {
        at: monday + 2 * day + 19 * hour,
        within: { start: monday + 15 * hour, end: monday + 10 * day },
      },
    });
    const [job] = streamJobsOf([released]);
    expect(job).toMatchObject({
      arrivesAt: monday + 15 * hour,
      fitsRoutes: true,
      releaseAt: released.releaseAt,
    });
    expect(streamJobsOf([first])[0]).not.toHaveProperty('releaseAt');
  });
});
