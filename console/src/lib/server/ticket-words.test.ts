import { describe, expect, it } from 'vitest';
import { actorLabel, auditActionLabel, stepsFor } from './ticket-words.ts';

describe('stepsFor', () => {
  it('gives a technician the field steps only: accept, start, resolve with a reason', () => {
    expect(stepsFor('scheduled', 'technician').map((s) => s.to)).toEqual(['dispatched']);
    expect(stepsFor('dispatched', 'technician').map((s) => s.to)).toEqual(['on_site']);
    expect(stepsFor('on_site', 'technician')).toEqual([
      expect.objectContaining({ to: 'resolved', reasonRequired: true }),
    ]);
    expect(stepsFor('resolved', 'technician')).toEqual([]);
  });

  it('gives a planner the office steps, cancelling and flagging with a reason', () => {
    expect(stepsFor('open', 'planner')).toEqual([
      expect.objectContaining({ to: 'cancelled', reasonRequired: true, destructive: true }),
    ]);
    // Only the readings verify a fix: the office closes resolved work unverified, or flags it.
    expect(stepsFor('resolved', 'planner').map((s) => s.to)).toEqual(['closed', 'flagged_for_review']);
    expect(stepsFor('verified', 'admin').map((s) => s.to)).toEqual(['closed']);
  });

  it('words accepting a job as the technician’s own step, and the office’s as recording it for them', () => {
    expect(stepsFor('scheduled', 'technician')[0]).toMatchObject({ label: 'Accept job' });
    // A planner does not accept the job: they record that the technician has.
    expect(stepsFor('scheduled', 'planner').map((s) => s.label)).toEqual([
      'Mark accepted',
      'Unschedule',
      'Cancel ticket',
    ]);
  });

  it('offers nothing once a ticket is closed or cancelled, and nothing to a customer', () => {
    expect(stepsFor('closed', 'planner')).toEqual([]);
    expect(stepsFor('cancelled', 'planner')).toEqual([]);
    expect(stepsFor('open', 'customer')).toEqual([]);
  });
});

describe('the audit log in words', () => {
  it('names who acted as a person reads it', () => {
    expect(actorLabel({ actor: 'system:automation', actorRole: 'system' })).toBe('the automation');
    expect(actorLabel({ actor: 'system:fix-verifier', actorRole: 'system' })).toBe('the fix verifier');
    expect(actorLabel({ actor: 'system:night-shift', actorRole: 'system' })).toBe(
      'the platform (night shift)',
    );
    expect(actorLabel({ actor: 'user:42', actorRole: 'planner' })).toBe('a planner');
    expect(actorLabel({ actor: 'user:7', actorRole: 'technician' })).toBe('the technician');
  });

  it('says what happened, and an action it does not know in plain words', () => {
    expect(auditActionLabel('accepted')).toBe('Accepted by the technician');
    expect(auditActionLabel('part_used')).toBe('Part fitted');
    expect(auditActionLabel('warranty_claim_filed')).toBe('Warranty claim filed');
  });
});
