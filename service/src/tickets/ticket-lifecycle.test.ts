import { type TicketStatus, ticketStatuses } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { type Actor, systemActor } from '../principal.ts';
import {
  decideTransition,
  holdsOpenKey,
  nextStatuses,
  remotelyResolvableStatuses,
  terminalStatuses,
} from './ticket-lifecycle.ts';

const planner: Actor = { id: 'user:p', role: 'planner', customerId: null, technicianId: null };
const tech = (id: string): Actor => ({
  id: `user:${id}`,
  role: 'technician',
  customerId: null,
  technicianId: id,
});
const customer = (id: string): Actor => ({
  id: `user:${id}`,
  role: 'customer',
  customerId: id,
  technicianId: null,
});
const ticket = { technicianId: 'tech-1', customerId: 'acme' };

const decide = (from: TicketStatus, to: TicketStatus, actor: Actor, reason?: string) =>
  decideTransition({ from, to, actor, reason, ticket });

describe('the ticket lifecycle', () => {
  it('walks the happy path open → scheduled → dispatched → on_site → resolved → verified → closed', () => {
    const path: TicketStatus[] = [
      'open',
      'scheduled',
      'dispatched',
      'on_site',
      'resolved',
      'verified',
      'closed',
    ];
    // The readings' check verifies the fix (the platform); people take every other step.
    const actions = path
      .slice(1)
      .map((to, i) =>
        decide(path[i]!, to, to === 'verified' ? systemActor('fix-verifier') : planner, 'done'),
      );
    expect(actions).toEqual(
      ['scheduled', 'accepted', 'started', 'resolved', 'verified', 'closed'].map((action) => ({
        ok: true,
        action,
      })),
    );
  });

  it('cancels from open, scheduled and dispatched only', () => {
    const from = ticketStatuses.filter((s) => decide(s, 'cancelled', planner, 'duplicate').ok);
    expect(from).toEqual(['open', 'scheduled', 'dispatched']);
  });

  it('flags for review only a resolved ticket, and a flagged one is verified, reopened or closed', () => {
    expect(ticketStatuses.filter((s) => decide(s, 'flagged_for_review', planner, 'no change').ok)).toEqual([
      'resolved',
    ]);
    expect(nextStatuses('flagged_for_review').sort()).toEqual(['closed', 'open', 'verified']);
  });

  it('lets nothing leave closed or cancelled', () => {
    for (const status of terminalStatuses) {
      expect(nextStatuses(status)).toEqual([]);
      expect(decide(status, 'open', planner, 'x')).toMatchObject({
        ok: false,
        code: 'INVALID_TRANSITION',
        message: `the ticket is ${status}: its status cannot change any more`,
      });
    }
  });

  it('names the allowed next statuses when a step is not in the lifecycle', () => {
    expect(decide('open', 'resolved', planner, 'x')).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: 'the ticket is open: it can move to scheduled, cancelled, not to resolved',
    });
  });

  it('lets a technician accept, start and resolve only their own jobs', () => {
    expect(decide('scheduled', 'dispatched', tech('tech-1'))).toEqual({ ok: true, action: 'accepted' });
    expect(decide('dispatched', 'on_site', tech('tech-1'))).toEqual({ ok: true, action: 'started' });
    expect(decide('on_site', 'resolved', tech('tech-1'), 'replaced capacitor')).toEqual({
      ok: true,
      action: 'resolved',
    });
    expect(decide('scheduled', 'dispatched', tech('tech-2'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('keeps technicians from scheduling, cancelling or verifying', () => {
    for (const [from, to] of [
      ['open', 'scheduled'],
      ['scheduled', 'cancelled'],
      ['resolved', 'closed'],
    ] as const) {
      expect(decide(from, to, tech('tech-1'), 'r')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(decide('resolved', 'verified', tech('tech-1'), 'r')).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });

  it('leaves verifying a repair to the readings: the office closes a resolved ticket, unverified, or flags it', () => {
    expect(decide('resolved', 'verified', planner, 'looks fine')).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: 'the ticket is resolved: it can move to closed, flagged_for_review, not to verified',
    });
    expect(decide('resolved', 'closed', planner)).toEqual({ ok: true, action: 'closed' });
    expect(nextStatuses('resolved').sort()).toEqual(['closed', 'flagged_for_review']);
    expect(nextStatuses('resolved', 'system')).toContain('verified');
    expect(decide('resolved', 'verified', systemActor('fix-verifier'))).toEqual({
      ok: true,
      action: 'verified',
    });
  });

  it('lets a customer cancel their own open ticket and nothing else', () => {
    expect(decide('open', 'cancelled', customer('acme'), 'fixed itself')).toEqual({
      ok: true,
      action: 'cancelled',
    });
    expect(decide('open', 'cancelled', customer('globex'), 'x')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(decide('scheduled', 'cancelled', customer('acme'), 'x')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(decide('resolved', 'closed', customer('acme'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decide('resolved', 'verified', customer('acme'))).toMatchObject({ ok: false });
  });

  it('lets the platform itself schedule, verify and flag, but not go on site', () => {
    const system = systemActor('automation');
    expect(decide('open', 'scheduled', system).ok).toBe(true);
    expect(decide('resolved', 'verified', system).ok).toBe(true);
    expect(decide('resolved', 'flagged_for_review', system, 'no telemetry change in 7 days').ok).toBe(true);
    expect(decide('dispatched', 'on_site', system)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  describe('resolved_remotely', () => {
    const system = systemActor('remote-troubleshooting');

    it('lets the platform resolve an open, scheduled or dispatched ticket that a remote command fixed', () => {
      expect(ticketStatuses.filter((s) => decide(s, 'resolved', system, 'fixed remotely').ok)).toEqual([
        'open',
        'scheduled',
        'dispatched',
      ]);
      for (const from of ['open', 'scheduled', 'dispatched'] as const)
        expect(decide(from, 'resolved', system, 'reset_controller answered ok')).toEqual({
          ok: true,
          action: 'resolved_remotely',
        });
      expect(remotelyResolvableStatuses).toEqual(['open', 'scheduled', 'dispatched']);
    });

    it('does not let the platform resolve work someone is doing on site', () => {
      expect(decide('on_site', 'resolved', system, 'x')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    });

    it('wants the reason the risk cleared', () => {
      expect(decide('scheduled', 'resolved', system)).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    });

    it('is no step of the lifecycle for people: neither offered nor allowed', () => {
      for (const actor of [planner, tech('tech-1'), customer('acme')])
        for (const from of ['open', 'scheduled', 'dispatched'] as const)
          expect(decide(from, 'resolved', actor, 'x')).toMatchObject({
            ok: false,
            code: 'INVALID_TRANSITION',
          });
      expect(nextStatuses('scheduled')).not.toContain('resolved');
      expect(nextStatuses('scheduled', 'system')).toContain('resolved');
    });
  });

  it('wants a reason to cancel, resolve, flag, unschedule and reopen', () => {
    for (const [from, to] of [
      ['open', 'cancelled'],
      ['on_site', 'resolved'],
      ['resolved', 'flagged_for_review'],
      ['scheduled', 'open'],
      ['flagged_for_review', 'open'],
    ] as const) {
      expect(decide(from, to, planner)).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
      expect(decide(from, to, planner, '  ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    }
  });

  it('keeps the device × component held until the fix is verified, closed or cancelled', () => {
    expect(ticketStatuses.filter(holdsOpenKey)).toEqual([
      'open',
      'scheduled',
      'dispatched',
      'on_site',
      'resolved',
      'flagged_for_review',
    ]);
  });
});
