import type { Ticket, TicketStatus } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { deviceVisit, type VisitStep } from './device-visit.ts';

const t0 = Date.UTC(2026, 9, 1, 9);

const ticket: Ticket & { status: 'resolved' } = {
  id: 't-1',
  kind: 'predictive',
  status: 'resolved',
  version: 1,
  priority: 'normal',
  deviceId: 'ac-1',
  customerId: 'cust-1',
  siteId: null,
  title: 'Run capacitor degradation — Split air conditioner',
  description: 'Predicted run capacitor degradation: p=0.95 within 14 days',
  component: 'capacitor',
  failureMode: 'capacitor_degradation',
  requiredSkill: 'electrical',
  evidence: null,
  troubleshootingSteps: [],
  appointment: { start: t0, end: t0 + 3_600_000 },
  technicianId: 'tech-7',
  slaDueAt: t0,
  coverage: 'amc',
  contractId: 'amc-1',
  createdAt: t0,
  updatedAt: t0,
  resolvedAt: t0,
  closedAt: null,
};

/** Status changes numbered from version 1, as the audit log holds them. */
const steps = (...changes: [string, TicketStatus | null, TicketStatus, string?][]): VisitStep[] =>
  changes.map(([action, fromStatus, toStatus, reason], i) => ({
    version: i + 1,
    action,
    fromStatus,
    toStatus,
    reason: reason ?? null,
  }));

const visit = (audit: VisitStep[], parts: { sku: string; quantity: number }[] = []) =>
  deviceVisit({ ticket, technicianName: 'Kavya Iyer', at: t0, steps: audit, parts, model: 'split-ac' });

describe('deviceVisit', () => {
  it('counts each arrival on site and tells the last resolution, confirmed only by a verification after it', () => {
    const audit = steps(
      ['started', 'dispatched', 'on_site'],
      ['part_used', 'on_site', 'on_site'],
      ['resolved', 'on_site', 'resolved', 'Cleaned the coil'],
      ['flagged_for_review', 'resolved', 'flagged_for_review', 'No change in the readings'],
      ['reopened', 'flagged_for_review', 'open', 'Second visit'],
      ['scheduled', 'open', 'scheduled'],
      ['accepted', 'scheduled', 'dispatched'],
      ['started', 'dispatched', 'on_site'],
      ['resolved', 'on_site', 'resolved', 'Fitted a new capacitor'],
    );
    expect(visit(audit)).toMatchObject({
      onSiteVisits: 2,
      resolution: 'Fitted a new capacitor',
      fixVerified: false,
    });
    expect(
      visit([...audit, ...steps(['verified', 'resolved', 'verified']).map((s) => ({ ...s, version: 10 }))]),
    ).toMatchObject({ fixVerified: true });
    expect(JSON.stringify(visit(audit))).not.toContain('No change in the readings');
  });

  it('keeps the visits and the technician of a job a remote reset finished after someone had been', () => {
    const audit = steps(
      ['started', 'dispatched', 'on_site'],
      ['resolved', 'on_site', 'resolved', 'Cleaned the coil'],
      ['flagged_for_review', 'resolved', 'flagged_for_review', 'No change in the readings'],
      ['reopened', 'flagged_for_review', 'open', 'Try a reset first'],
      ['resolved_remotely', 'open', 'resolved', 'risk below p_close'],
    );
    expect(visit(audit)).toMatchObject({ remote: true, onSiteVisits: 1, technicianName: 'Kavya Iyer' });
    const resetOnly = steps(['resolved_remotely', 'open', 'resolved', 'risk below p_close']);
    expect(visit(resetOnly)).toMatchObject({ remote: true, onSiteVisits: 0, technicianName: null });
  });

  it('names the predicted fault of a predictive ticket, never its description with the model numbers', () => {
    const predicted = visit(steps(['resolved', 'on_site', 'resolved', 'Fitted a new capacitor']));
    expect(predicted).toMatchObject({ failureMode: 'capacitor_degradation', reportedProblem: null });
    expect(JSON.stringify(predicted)).not.toContain('p=0.95');
  });

  it('names a part the catalogue does not know by its SKU', () => {
    const parts = visit(steps(['resolved', 'on_site', 'resolved', 'Done']), [
      { sku: 'AC-CAP', quantity: 1 },
      { sku: 'XX-UNKNOWN', quantity: 3 },
    ]).parts;
    expect(parts).toEqual([
      { sku: 'AC-CAP', name: 'Run capacitor', quantity: 1 },
      { sku: 'XX-UNKNOWN', name: 'XX-UNKNOWN', quantity: 3 },
    ]);
  });
});
