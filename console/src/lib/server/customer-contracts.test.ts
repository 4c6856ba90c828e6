import type { AmcPlan, Contract, ContractVisit } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { contractsToShow, visitSummary } from './customer-contracts.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 15);

function contract(id: string, startsAt: number, endsAt: number, deviceIds = ['ac-1', 'ac-2']): Contract {
  return {
    id,
    customerId: 'cust-1',
    planId: 'plan-standard',
    deviceIds,
    startsAt,
    endsAt,
    renewalStatus: 'not_due',
    renewsContractId: null,
    createdAt: startsAt,
    updatedAt: startsAt,
  };
}

const plan: AmcPlan = {
  id: 'plan-standard',
  name: 'Standard care',
  model: null,
  visitsPerYear: 3,
  slaResponseHours: 24,
  coversLabour: true,
  coversParts: true,
  priceCents: 299_900,
  createdAt: 0,
};

function visit(
  id: string,
  deviceId: string,
  dueFrom: number,
  status: ContractVisit['status'],
  ticketId: string | null = null,
): ContractVisit {
  return {
    id,
    contractId: 'amc-1',
    deviceId,
    dueFrom,
    dueTo: dueFrom + 60 * day,
    status,
    ticketId,
    createdAt: 0,
  };
}

describe('contractsToShow', () => {
  it('shows the contract in force and its renewal, not the ones that ended', () => {
    const old = contract('amc-0', now - 700 * day, now - 335 * day);
    const current = contract('amc-1', now - 335 * day, now + 30 * day);
    const renewal = contract('amc-2', now + 30 * day, now + 395 * day);
    expect(contractsToShow([renewal, old, current], now).map((c) => c.id)).toEqual(['amc-1', 'amc-2']);
  });

  it('shows the last ended contract when none is in force, so the customer learns the cover ended', () => {
    const older = contract('amc-0', now - 700 * day, now - 335 * day);
    const last = contract('amc-1', now - 335 * day, now - day);
    expect(contractsToShow([older, last], now).map((c) => c.id)).toEqual(['amc-1']);
  });

  it("keeps to one device's contracts when asked", () => {
    const other = contract('amc-9', now - day, now + 300 * day, ['wm-1']);
    const own = contract('amc-1', now - day, now + 300 * day, ['ac-1']);
    expect(contractsToShow([other, own], now, 'ac-1').map((c) => c.id)).toEqual(['amc-1']);
  });
});

describe('visitSummary', () => {
  const amc = contract('amc-1', now - 240 * day, now + 125 * day);
  const visits = [
    visit('v1', 'ac-1', now - 200 * day, 'done'),
    visit('v2', 'ac-1', now - 80 * day, 'missed'),
    visit('v3', 'ac-1', now + 20 * day, 'planned'),
    visit('v4', 'ac-2', now - 200 * day, 'done'),
    visit('v5', 'ac-2', now - 10 * day, 'scheduled', 't-5'),
    visit('v6', 'ac-2', now + 40 * day, 'cancelled'),
  ];

  it('counts the visits used and missed of the term, of all the visits the plan owes', () => {
    // Three a year for two devices, though the scheduler has planned five so far (one was cancelled).
    const all = visitSummary(amc, plan, visits, new Map(), now);
    expect(all).toMatchObject({ entitled: 6, done: 2, missed: 1 });
    expect(visitSummary(amc, plan, visits, new Map(), now, 'ac-1')).toMatchObject({
      entitled: 3,
      done: 1,
      missed: 1,
    });
  });

  it("gives the next visit still due, with its technician's time once its ticket is booked", () => {
    const booked = { start: now + day, end: now + day + 3_600_000 };
    const next = visitSummary(amc, plan, visits, new Map([['t-5', booked]]), now).next;
    expect(next).toEqual({
      deviceId: 'ac-2',
      ticketId: 't-5',
      from: now - 10 * day,
      to: now + 50 * day,
      appointment: booked,
    });
    expect(visitSummary(amc, plan, visits, new Map(), now, 'ac-1').next).toMatchObject({
      from: now + 20 * day,
      appointment: null,
    });
  });

  it('gives the next visit by its appointment when two of one window are booked (11:15 before 12:15)', () => {
    const twins = [
      visit('w1', 'ac-1', now - 5 * day, 'scheduled', 't-late'),
      visit('w2', 'ac-2', now - 5 * day, 'scheduled', 't-early'),
    ];
    const at = (h: number) => ({ start: now + day + h * 3_600_000, end: now + day + (h + 0.5) * 3_600_000 });
    const booked = new Map([
      ['t-late', at(2)],
      ['t-early', at(1)],
    ]);
    expect(visitSummary(amc, plan, twins, booked, now).next).toMatchObject({ ticketId: 't-early' });
  });

  it('owes what the plan says before any visit is planned', () => {
    const year = contract('amc-1', now, now + 365 * day);
    expect(visitSummary(year, plan, [], new Map(), now)).toEqual({
      entitled: 6,
      done: 0,
      missed: 0,
      next: null,
      noNext: 'Not planned yet',
    });
  });

  it('says a renewal that has not started plans its visits when its term starts, not that none are left', () => {
    // POST /api/contracts/:id/renewals: the new term follows the old one, with no visit written yet.
    const renewal = contract('amc-1', Date.UTC(2026, 11, 22, 12), Date.UTC(2027, 11, 22, 12), ['ac-1']);
    const summary = visitSummary(renewal, { ...plan, visitsPerYear: 4 }, [], new Map(), now);
    expect(summary).toMatchObject({ entitled: 4, done: 0, next: null });
    expect(summary.noNext).toBe('Visits are planned when the term starts on 22 Dec 2026');
  });

  it('says a running term owes visits not planned yet, and none left only once all are done or missed', () => {
    const one = contract('amc-1', now - 240 * day, now + 125 * day, ['ac-1']);
    const used = [
      visit('v1', 'ac-1', now - 200 * day, 'done'),
      visit('v2', 'ac-1', now - 120 * day, 'missed'),
      visit('v3', 'ac-1', now - 100 * day, 'cancelled'),
    ];
    expect(visitSummary(one, plan, used, new Map(), now).noNext).toBe('Not planned yet');
    const allUsed = [...used, visit('v4', 'ac-1', now - 70 * day, 'done')];
    expect(visitSummary(one, plan, allUsed, new Map(), now).noNext).toBe('None left in this term');
    // With a visit still due there is nothing to explain.
    const due = [...used, visit('v4', 'ac-1', now + 10 * day, 'planned')];
    expect(visitSummary(one, plan, due, new Map(), now).noNext).toBeNull();
  });
});
