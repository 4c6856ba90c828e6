import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aPlan, aRisk, day } from '../../test/support/factories.ts';
import { aServiceScene, planner, type Repositories, repositories } from '../../test/support/world.ts';
import type { RiskDecision } from '../automation/risk-policy.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import type { PredictiveTicketDecision } from './predictive-ticket-repository.ts';

// The risk policy's decisions to open or fold are what openPredictiveTicket takes, as they are.
type OpeningDecision = Extract<RiskDecision, { action: 'open' | 'fold_into_amc_visit' }>;
export const policyDecisionsFit = (decision: OpeningDecision): PredictiveTicketDecision => decision;

describe('PredictiveTicketRepository.openPredictiveTicket', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let deviceId: string;
  let customerId: string;
  const open = (slaDueAt = Date.UTC(2026, 10, 29)): PredictiveTicketDecision => ({
    action: 'open',
    ticket: { priority: 2, slaDueAt },
    reason: 'pFail 0.82 ≥ 0.6',
  });

  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = repositories(db);
    const scene = await aServiceScene(repos);
    deviceId = scene.device.id;
    customerId = scene.customer.id;
  });
  afterEach(() => db.destroy());

  const predictiveTickets = () =>
    db
      .selectFrom('tickets')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('kind', '=', 'predictive')
      .execute();

  it('opens a predictive ticket carrying the evidence, the steps and the decided priority and SLA', async () => {
    const risk = aRisk(deviceId);
    const { ticket, outcome } = await repos.predictive.openPredictiveTicket(risk, open());
    expect(outcome).toBe('opened');
    expect(ticket).toMatchObject({
      kind: 'predictive',
      status: 'open',
      priority: 'high',
      customerId,
      component: 'compressor',
      failureMode: 'compressor_wear',
      requiredSkill: 'refrigeration',
      slaDueAt: Date.UTC(2026, 10, 29),
      evidence: { pFail: 0.82, daysLeft: 9, modelVersion: 'split-ac@3', drivers: risk.drivers },
    });
    expect(ticket.description).toContain('Discharge temperature +6.1 °C over 9 days');
    expect(ticket.troubleshootingSteps.length).toBeGreaterThanOrEqual(3);
  });

  it('opens one ticket however often the same risk comes back', async () => {
    const first = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    for (let i = 1; i <= 5; i += 1) {
      const again = await repos.predictive.openPredictiveTicket(
        aRisk(deviceId, { pFail: 0.8 + i / 100, scoredAt: Date.UTC(2026, 10, 26, 6 + i) }),
        open(),
      );
      expect(again).toMatchObject({ outcome: 'already_open', ticket: { id: first.ticket.id } });
    }
    expect(await predictiveTickets()).toHaveLength(1);
  });

  it('opens one ticket when twenty calls for the same device and component race', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repos.predictive.openPredictiveTicket(aRisk(deviceId, { pFail: 0.7 + i / 100 }), open()),
      ),
    );
    expect(results.filter((r) => r.outcome === 'opened')).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(await predictiveTickets()).toHaveLength(1);
  });

  it('opens separate tickets for separate components of one device', async () => {
    await Promise.all([
      repos.predictive.openPredictiveTicket(aRisk(deviceId), open()),
      repos.predictive.openPredictiveTicket(
        aRisk(deviceId, { component: 'capacitor', failureMode: 'capacitor_degradation' }),
        open(),
      ),
    ]);
    expect((await predictiveTickets()).map((t) => t.component).sort()).toEqual(['capacitor', 'compressor']);
  });

  it('has the database itself refuse a second open ticket for the same device and component', async () => {
    const { ticket } = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('tickets')
        .values({ ...row, id: 'sneaked-in' })
        .execute(),
    ).rejects.toThrow(/UNIQUE constraint/);
  });

  it('opens a new ticket once the previous one is cancelled, or its fix verified', async () => {
    const first = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    await repos.tickets.transition(first.ticket.id, { to: 'cancelled', reason: 'risk fell back' }, planner);
    const second = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    expect(second.outcome).toBe('opened');
    expect(second.ticket.id).not.toBe(first.ticket.id);
    expect(await repos.predictive.findOpen(deviceId, 'compressor')).toMatchObject({ id: second.ticket.id });
  });

  it('names the device × component pairs with open work among many devices, in one call', async () => {
    const first = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    await repos.predictive.openPredictiveTicket(
      aRisk(deviceId, { component: 'capacitor', failureMode: 'capacitor_degradation' }),
      open(),
    );
    const others = Array.from({ length: 1200 }, (_, i) => `unknown-${i}`);
    expect(await repos.predictive.openKeysOf([...others, deviceId])).toEqual(
      new Set([`${deviceId}/compressor`, `${deviceId}/capacitor`]),
    );
    await repos.tickets.transition(first.ticket.id, { to: 'cancelled', reason: 'risk fell back' }, planner);
    expect(await repos.predictive.openKeysOf([deviceId])).toEqual(new Set([`${deviceId}/capacitor`]));
  });

  it('folds the work into the AMC visit that falls inside the predicted window', async () => {
    const now = repos.time.now;
    const plan = await repos.contracts.createPlan(aPlan());
    const contract = await repos.contracts.create({
      customerId,
      planId: plan.id,
      deviceIds: [deviceId],
      startsAt: now - day,
      endsAt: now + 364 * day,
    });
    const [visit] = await repos.visits.planVisits(contract.id, [
      { deviceId, dueFrom: now + 2 * day, dueTo: now + 5 * day },
    ]);
    const fold: PredictiveTicketDecision = {
      action: 'fold_into_amc_visit',
      visitId: visit!.id,
      ticket: { priority: 3, slaDueAt: now + 6 * day },
      reason: 'AMC visit due in 2–5 days',
    };

    const folded = await repos.predictive.openPredictiveTicket(aRisk(deviceId), fold);
    expect(folded.outcome).toBe('folded');
    expect(folded.ticket).toMatchObject({
      kind: 'amc_visit',
      coverage: 'amc',
      failureMode: 'compressor_wear',
      component: 'compressor',
      slaDueAt: now + 5 * day,
    });
    expect(await repos.visits.getVisit(visit!.id)).toMatchObject({
      status: 'scheduled',
      ticketId: folded.ticket.id,
    });
    expect((await repos.tickets.detail(folded.ticket.id)).audit.map((a) => a.action)).toEqual([
      'opened',
      'predictive_work_folded',
    ]);

    // The visit's ticket now holds the device × component: the next risk finds it.
    const again = await repos.predictive.openPredictiveTicket(aRisk(deviceId), open());
    expect(again).toMatchObject({ outcome: 'already_open', ticket: { id: folded.ticket.id } });
    expect(await predictiveTickets()).toHaveLength(0);
  });

  it('refuses a risk whose failure mode the model does not have, naming the field', async () => {
    await expect(
      repos.predictive.openPredictiveTicket(aRisk(deviceId, { failureMode: 'membrane_fouling' }), open()),
    ).rejects.toThrow(/^failureMode: membrane_fouling is not a failure mode of split-ac/);
  });
});
