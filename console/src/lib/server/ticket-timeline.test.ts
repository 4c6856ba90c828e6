import type { AuditEntry, Transfer } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayTimeZone, setDisplayTimeZone } from '../format.ts';
import { namedTimeline, type TimelineNames } from './ticket-timeline.ts';

const t0 = Date.UTC(2026, 10, 28, 4, 30);
let version = 0;

/** An audit entry as the service writes it; each call is the ticket's next version. */
function entry(action: string, fields: Partial<AuditEntry> = {}): AuditEntry {
  version += 1;
  return {
    id: `audit-${version}`,
    ticketId: 'ticket-1',
    version,
    at: t0 + version * 60_000,
    actor: 'system:automation',
    actorRole: 'system',
    fromStatus: 'scheduled',
    toStatus: 'scheduled',
    action,
    reason: null,
    data: null,
    ...fields,
  };
}

const names: TimelineNames = {
  technicians: new Map([
    ['tech-08', 'Revathi Rajan'],
    ['tech-05', 'Arun Kumar'],
  ]),
  parts: new Map([['AC-COMP', 'Rotary compressor 1.5 t']]),
  locations: new Map([
    ['loc-van-tech-08', "Revathi Rajan's van"],
    ['loc-depot-north', 'North depot'],
  ]),
  model: 'split-ac',
};

const noTransfers: Transfer[] = [];

describe('namedTimeline', () => {
  let zone: string;
  beforeEach(() => {
    version = 0;
    zone = displayTimeZone();
    setDisplayTimeZone('Asia/Kolkata');
  });
  afterEach(() => setDisplayTimeZone(zone));

  it('names the technician a job is assigned to, with the appointment, and the one it moved from', () => {
    const audit = [
      entry('assigned', {
        fromStatus: 'open',
        data: {
          technicianId: 'tech-05',
          previousTechnicianId: null,
          appointment: { start: t0 + 3_600_000, end: t0 + 7_200_000 },
        },
      }),
      entry('reassigned', {
        actor: 'user:u-priya',
        actorRole: 'planner',
        actorName: 'Priya Nair',
        reason: 'tech-08 is nearer',
        data: { technicianId: 'tech-08', previousTechnicianId: 'tech-05' },
      }),
    ];
    const [reassigned, assigned] = namedTimeline(
      { audit, technicianId: 'tech-08', transfers: noTransfers },
      names,
    );
    expect(assigned).toMatchObject({
      label: 'Technician assigned',
      detail: 'Arun Kumar, 28 Nov 2026, 11:00–12:00 IST',
      by: 'the automation',
    });
    expect(reassigned).toMatchObject({
      detail: 'Arun Kumar → Revathi Rajan',
      by: 'planner Priya Nair',
      reason: 'Revathi Rajan is nearer',
    });
  });

  it('says when work began against the slot booked for it, and how long it took on site', () => {
    const hour = 3_600_000;
    // Booked 10:00–11:00 IST (t0 is 10:00 IST), started at 01:48, resolved at 02:03: on the day, but
    // hours before the customer expected anyone. Then booked again, and started on time.
    const slot = { start: t0, end: t0 + hour };
    const audit = [
      entry('assigned', { fromStatus: 'open', data: { technicianId: 'tech-08', appointment: slot } }),
      entry('started', { at: t0 - 8 * hour - 12 * 60_000, fromStatus: 'dispatched', toStatus: 'on_site' }),
      entry('resolved', {
        at: t0 - 7 * hour - 57 * 60_000,
        fromStatus: 'on_site',
        toStatus: 'resolved',
        reason: 'Replaced it',
      }),
      entry('flagged_for_review', {
        fromStatus: 'resolved',
        toStatus: 'flagged_for_review',
        reason: 'No change',
      }),
      entry('reopened', { fromStatus: 'flagged_for_review', toStatus: 'open', reason: 'Still warm' }),
      entry('scheduled', {
        fromStatus: 'open',
        toStatus: 'scheduled',
        data: { technicianId: 'tech-08', appointment: { start: t0 + 24 * hour, end: t0 + 25 * hour } },
      }),
      entry('started', { at: t0 + 24 * hour + 10 * 60_000, fromStatus: 'dispatched', toStatus: 'on_site' }),
    ];
    const details = namedTimeline({ audit, technicianId: 'tech-08', transfers: noTransfers }, names)
      .reverse()
      .map((e) => e.detail);
    expect(details.slice(1, 3)).toEqual([
      '8 h 12 min before the booked 28 Nov 2026, 10:00–11:00 IST',
      'after 15 min on site',
    ]);
    expect(details.at(-1)).toBe('on time for the booked 29 Nov 2026, 10:00–11:00 IST');
    // Begun late instead: said as late, against the slot booked.
    const late = [
      ...audit.slice(0, -1),
      entry('started', { at: t0 + 26 * hour + 50 * 60_000, fromStatus: 'dispatched', toStatus: 'on_site' }),
    ];
    expect(
      namedTimeline({ audit: late, technicianId: 'tech-08', transfers: noTransfers }, names)[0],
    ).toMatchObject({ detail: '2 h 50 min after the booked 29 Nov 2026, 10:00–11:00 IST began' });
  });

  it('says when a visit that runs late now ends, and still judges its start against the slot first booked', () => {
    const hour = 3_600_000;
    const slot = { start: t0, end: t0 + hour };
    const audit = [
      entry('assigned', { fromStatus: 'open', data: { technicianId: 'tech-08', appointment: slot } }),
      entry('started', { at: t0 + 5 * 60_000, fromStatus: 'dispatched', toStatus: 'on_site' }),
      entry('visit_extended', {
        at: t0 + 50 * 60_000,
        actor: 'user:u-priya',
        actorRole: 'planner',
        actorName: 'Priya Nair',
        fromStatus: 'on_site',
        toStatus: 'on_site',
        reason: 're-planned: the compressor runs late',
        data: { appointment: { start: t0, end: t0 + 2.5 * hour }, previousEnd: t0 + hour },
      }),
      entry('resolved', { at: t0 + 2 * hour, fromStatus: 'on_site', toStatus: 'resolved', reason: 'Done' }),
    ];
    const [resolved, extended, started] = namedTimeline(
      { audit, technicianId: 'tech-08', transfers: noTransfers },
      names,
    );
    expect(extended).toMatchObject({
      label: 'Visit runs late',
      detail: 'now ends at 12:30 IST (booked until 11:00)',
      by: 'planner Priya Nair',
    });
    expect(started!.detail).toBe('on time for the booked 28 Nov 2026, 10:00–11:00 IST');
    expect(resolved!.detail).toBe('after 1 h 55 min on site');
  });

  it("names a technician's own steps after the technician assigned at the time, and the reader's as you", () => {
    const audit = [
      entry('assigned', { data: { technicianId: 'tech-05' } }),
      entry('accepted', { actor: 'user:u-arun', actorRole: 'technician', toStatus: 'dispatched' }),
      entry('reassigned', { data: { technicianId: 'tech-08', previousTechnicianId: 'tech-05' } }),
      entry('accepted', { actor: 'user:u-revathi', actorRole: 'technician', toStatus: 'dispatched' }),
    ];
    const ticket = { audit, technicianId: 'tech-08', transfers: noTransfers };
    expect(namedTimeline(ticket, names).map((e) => e.by)).toEqual([
      'Revathi Rajan',
      'the automation',
      'Arun Kumar',
      'the automation',
    ]);
    const mine = namedTimeline(ticket, { ...names, viewerTechnicianId: 'tech-08' });
    expect(mine[0]?.by).toBe('you');
  });

  it('never shows an id a technician may not resolve: another technician stays unnamed', () => {
    const own: TimelineNames = {
      ...names,
      technicians: new Map([['tech-08', 'Revathi Rajan']]),
    };
    const audit = [
      entry('reassigned', {
        actor: 'user:u-priya',
        actorRole: 'planner',
        data: { technicianId: 'tech-08', previousTechnicianId: 'tech-05' },
      }),
    ];
    expect(namedTimeline({ audit, technicianId: 'tech-08', transfers: noTransfers }, own)[0]).toMatchObject({
      detail: 'another technician → Revathi Rajan',
      by: 'a planner',
    });
  });

  it('names parts by their name and stock by its place', () => {
    const transfer: Transfer = {
      id: 'tr-1',
      fromLocationId: 'loc-depot-north',
      toLocationId: 'loc-van-tech-08',
      sku: 'AC-COMP',
      quantity: 1,
      ticketId: 'ticket-1',
      status: 'arrived',
      createdAt: t0,
      etaAt: t0 + 3_600_000,
      arrivedAt: t0 + 3_000_000,
    };
    const audit = [
      entry('part_reserved', {
        data: { reservationId: 'r-1', sku: 'AC-COMP', locationId: 'loc-van-tech-08', quantity: 1 },
      }),
      entry('transfer_created', {
        data: {
          transferId: 'tr-1',
          sku: 'AC-COMP',
          from: 'loc-depot-north',
          to: 'loc-van-tech-08',
          etaAt: t0 + 3_600_000,
        },
      }),
      entry('transfer_arrived', { data: { transferId: 'tr-1', reservationId: 'r-2' } }),
      entry('part_used', {
        actor: 'technician:tech-08',
        actorRole: 'technician',
        toStatus: 'on_site',
        data: { sku: 'AC-COMP', quantity: 2, locationId: 'loc-van-tech-08' },
      }),
    ];
    const details = namedTimeline({ audit, technicianId: 'tech-08', transfers: [transfer] }, names).map(
      (e) => e.detail,
    );
    expect(details.reverse()).toEqual([
      "1 × Rotary compressor 1.5 t at Revathi Rajan's van",
      "Rotary compressor 1.5 t: North depot → Revathi Rajan's van, due 28 Nov 2026, 11:00",
      "Rotary compressor 1.5 t at Revathi Rajan's van",
      "2 × Rotary compressor 1.5 t from Revathi Rajan's van",
    ]);
  });

  it('puts the codes of commands, priorities, metrics and reasons in words', () => {
    const audit = [
      entry('command_answered', {
        actor: 'system:remote-troubleshooting',
        reason: 'device answered ok: cleared sensor_drift',
        data: { command: 'recalibrate_sensor', code: 'ok' },
      }),
      entry('priority_raised', { data: { from: 'normal', to: 'high' } }),
      entry('verified', {
        actor: 'system:fix-verifier',
        fromStatus: 'resolved',
        toStatus: 'verified',
        reason: 'compressor_current_a, discharge_temp_c recovered and the risk fell',
      }),
      entry('assigned', {
        actor: 'system:demo-history-planner',
        actorRole: 'planner',
        data: { technicianId: 'tech-08' },
      }),
    ];
    const [assigned, verified, priority, command] = namedTimeline(
      { audit, technicianId: 'tech-08', transfers: noTransfers },
      names,
    );
    expect(command).toMatchObject({
      detail: 'recalibrate sensor',
      reason: 'device answered ok: cleared sensor drift',
      by: 'remote troubleshooting',
    });
    expect(priority?.detail).toBe('Normal → High');
    expect(verified?.reason).toBe('Compressor current, Discharge temperature recovered and the risk fell');
    expect(verified?.changedStatus).toBe(true);
    expect(assigned?.by).toBe('a planner (demo history)');
  });
});
