import { createLogger, type DeviceCommand, type Risk, type Ticket } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import {
  type CommandPublisher,
  createRemoteTroubleshooting,
  type RemoteTroubleshooting,
} from '../src/operations/remote-commands.ts';
import { withRemoteTroubleshooting } from '../src/operations/remote-risk-sink.ts';
import { createRiskSink, type RiskAutomation } from '../src/operations/risk-sink.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import {
  aCustomer,
  aDevice,
  aPartner,
  aPlan,
  aRisk,
  aSite,
  aStockLocation,
  aTechnician,
  hour,
} from './support/factories.ts';

/** Wednesday 25 November 2026, 09:00 in Bengaluru: the technicians' working day. */
const start = Date.UTC(2026, 10, 25, 3, 30);
const minute = 60_000;

interface World {
  db: ServiceDatabase;
  repos: ServiceRepositories;
  time: { now: number };
  sent: { deviceId: string; command: DeviceCommand }[];
  remote: RemoteTroubleshooting;
  risks: RiskAutomation;
  fridgeId: string;
  customerId: string;
  depotId: string;
  technicianId: string;
}

/** A customer's refrigerator, a partner with an electronics technician nearby, a depot with the sensor part. */
async function aWorld(): Promise<World> {
  const db = await createDatabase({ file: ':memory:' });
  const time = { now: start };
  const clock = () => time.now;
  const repos = createServiceRepositories(db, { clock });
  const logger = createLogger({ level: 'silent' });
  const customer = await repos.customers.create(aCustomer());
  const site = await repos.customers.createSite(customer.id, aSite({ lat: 12.975, lon: 77.605 }));
  const { device } = await repos.devices.provision(
    aDevice({ model: 'refrigerator', customerId: customer.id, siteId: site.id }),
  );
  const partner = await repos.partners.createPartner(aPartner({ lat: 12.97, lon: 77.6 }));
  const technician = await repos.partners.createTechnician(
    partner.id,
    aTechnician({
      home: { lat: 12.96, lon: 77.6 },
      skills: [
        { skill: 'electronics' },
        { skill: 'refrigeration', certificateId: 'RAC-1', certifiedUntil: Date.UTC(2030, 0, 1) },
      ],
    }),
  );
  const depot = await repos.stock.createLocation(
    aStockLocation({ kind: 'partner_depot', partnerId: partner.id, lat: 12.972, lon: 77.603 }),
  );
  await repos.stock.receive(depot.id, 'RF-SENSOR', 1);
  await repos.stock.receive(depot.id, 'RF-COMP', 1);
  const sent: World['sent'] = [];
  const publisher: CommandPublisher = {
    async publish(deviceId, command) {
      sent.push({ deviceId, command });
    },
  };
  const remote = createRemoteTroubleshooting({ repositories: repos, publisher, logger, clock });
  const risks = withRemoteTroubleshooting(
    createRiskSink({ repositories: repos, db, logger, clock }),
    remote,
    logger,
  );
  return {
    db,
    repos,
    time,
    sent,
    remote,
    risks,
    fridgeId: device.id,
    customerId: customer.id,
    depotId: depot.id,
    technicianId: technician.id,
  };
}

/** The refrigerator's sensor drift, scored now. */
const driftRisk = (w: World, pFail: number): Risk =>
  aRisk(w.fridgeId, {
    model: 'refrigerator',
    component: 'control_board_sensor',
    failureMode: 'sensor_drift',
    pFail,
    daysLeft: pFail >= 0.6 ? 8 : null,
    modelVersion: 'refrigerator@1',
    scoredAt: w.time.now,
    dataUntil: w.time.now - 5 * minute,
    drivers: [],
  });

const onlyTicket = async (w: World): Promise<Ticket> => {
  const { items } = await w.repos.tickets.list({ deviceId: w.fridgeId, limit: 10, offset: 0 });
  expect(items).toHaveLength(1);
  return items[0]!;
};

/** The device answers the automation's command as the simulator does. */
async function deviceAnswers(w: World, code: 'ok' | 'no_effect'): Promise<void> {
  const { command } = w.sent.at(-1)!;
  w.time.now += 3_000;
  await w.remote.handleDeviceEvent(w.fridgeId, {
    ts: w.time.now,
    type: 'command_result',
    code,
    commandId: command.commandId,
    message: code === 'ok' ? 'cleared sensor_drift' : 'nothing to fix: the device reports no fault',
  });
}

describe('remote troubleshooting in the risk automation', () => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld();
  });
  afterEach(() => w.db.destroy());

  it('sends the remote fix of a new predictive ticket while the visit is still hours ahead', async () => {
    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    const ticket = await onlyTicket(w);
    expect(ticket).toMatchObject({ kind: 'predictive', status: 'scheduled', technicianId: w.technicianId });
    expect(ticket.appointment!.start).toBeGreaterThanOrEqual(start + 4 * hour);
    expect(w.sent).toEqual([
      {
        deviceId: w.fridgeId,
        command: { commandId: expect.any(String), command: 'recalibrate_sensor', ts: start },
      },
    ]);
    const commands = await w.repos.commands.listForTicket(ticket.id);
    expect(commands).toMatchObject([
      { command: 'recalibrate_sensor', status: 'sent', sentBy: 'system:remote-troubleshooting' },
    ]);
    // Scored again while still high: the fix is not sent twice.
    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.82)]);
    expect(w.sent).toHaveLength(1);
  });

  it('resolves the ticket without a visit when the risk clears after the device cleared the fault', async () => {
    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    const opened = await onlyTicket(w);
    expect((await w.repos.stock.level(w.depotId, 'RF-SENSOR'))!.available).toBe(0);
    await deviceAnswers(w, 'ok');

    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.12)]);

    const ticket = await onlyTicket(w);
    expect(ticket).toMatchObject({
      status: 'resolved',
      technicianId: null,
      appointment: null,
      resolvedAt: w.time.now,
    });
    const detail = await w.repos.tickets.detail(ticket.id);
    expect(detail.reservations).toMatchObject([{ sku: 'RF-SENSOR', status: 'released' }]);
    expect((await w.repos.stock.level(w.depotId, 'RF-SENSOR'))!.available).toBe(1);
    const last = detail.audit.at(-1)!;
    expect(last).toMatchObject({
      action: 'resolved_remotely',
      fromStatus: 'scheduled',
      toStatus: 'resolved',
      actor: 'system:remote-troubleshooting',
      data: { command: 'recalibrate_sensor', previousTechnicianId: opened.technicianId },
    });
    expect(last.reason).toMatch(/^fixed remotely: recalibrate_sensor answered ok \(cleared sensor_drift\)/);
    expect(detail.audit.map((a) => a.action)).toEqual([
      'opened',
      'assigned',
      'part_reserved',
      'note_added',
      'command_sent',
      'command_answered',
      'resolved_remotely',
    ]);

    // Later scores find the work done: nothing reopens, nothing is sent again.
    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.1)]);
    expect((await onlyTicket(w)).status).toBe('resolved');
    expect(w.sent).toHaveLength(1);
  });

  it('keeps the visit when the risk stays high after the device answered', async () => {
    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    await deviceAnswers(w, 'ok');
    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.55)]);
    expect(await onlyTicket(w)).toMatchObject({ status: 'scheduled', technicianId: w.technicianId });
  });

  it('keeps the visit when the device found nothing to clear, however low the next score', async () => {
    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    await deviceAnswers(w, 'no_effect');
    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.1)]);
    expect(await onlyTicket(w)).toMatchObject({ status: 'scheduled', technicianId: w.technicianId });
  });

  it('does not take a score made before the answer as the fix working', async () => {
    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    const early = driftRisk(w, 0.1);
    await deviceAnswers(w, 'ok');
    await w.risks.acceptRisks([early]);
    expect((await onlyTicket(w)).status).toBe('scheduled');
  });

  it('tries the remote fix of a repair folded into an AMC visit, and takes the repair out when it holds', async () => {
    // The fridge's AMC visit waits for its day, its window open over the next weeks.
    const plan = await w.repos.contracts.createPlan(aPlan());
    const contract = await w.repos.contracts.create({
      customerId: w.customerId,
      planId: plan.id,
      deviceIds: [w.fridgeId],
      startsAt: start - 100 * 24 * hour,
      endsAt: start + 265 * 24 * hour,
    });
    const [visit] = await w.repos.visits.planVisits(contract.id, [
      { deviceId: w.fridgeId, dueFrom: start - 10 * 24 * hour, dueTo: start + 30 * 24 * hour },
    ]);
    const maintenance = await w.repos.visits.openVisitTicket(visit!.id);

    await w.risks.acceptRisks([driftRisk(w, 0.8)]);
    const folded = await onlyTicket(w);
    expect(folded).toMatchObject({ id: maintenance.id, kind: 'amc_visit', failureMode: 'sensor_drift' });
    expect(w.sent.map((s) => s.command.command)).toEqual(['recalibrate_sensor']);
    // The repair's sensor is held for the visit, so that its return below is the unfold's doing.
    expect((await w.repos.stock.level(w.depotId, 'RF-SENSOR'))!.available).toBe(0);
    const note = (await w.repos.tickets.detail(folded.id)).notes.map((n) => n.text).join('\n');
    expect(note).toMatch(/taken out of this AMC visit, which still goes ahead for its maintenance/);

    await deviceAnswers(w, 'ok');
    w.time.now += hour;
    await w.risks.acceptRisks([driftRisk(w, 0.12)]);

    // The maintenance visit stays as it was before the fold, booked; the sensor goes back on the shelf.
    const after = await onlyTicket(w);
    expect(after).toMatchObject({
      id: maintenance.id,
      kind: 'amc_visit',
      status: folded.status,
      failureMode: null,
      title: maintenance.title,
      troubleshootingSteps: maintenance.troubleshootingSteps,
      technicianId: folded.technicianId,
    });
    const detail = await w.repos.tickets.detail(after.id);
    expect(detail.reservations.every((r) => r.status === 'released')).toBe(true);
    expect(detail.audit.at(-1)).toMatchObject({
      action: 'predictive_work_unfolded',
      actor: 'system:remote-troubleshooting',
      reason: expect.stringMatching(/^fixed remotely: recalibrate_sensor answered ok/),
    });
    expect((await w.repos.stock.level(w.depotId, 'RF-SENSOR'))!.available).toBe(1);
  });

  it('sends nothing for a failure mode only a visit can fix', async () => {
    await w.risks.acceptRisks([
      aRisk(w.fridgeId, {
        model: 'refrigerator',
        component: 'compressor',
        failureMode: 'compressor_wear',
        scoredAt: w.time.now,
        dataUntil: w.time.now - 5 * minute,
        drivers: [],
      }),
    ]);
    expect((await onlyTicket(w)).status).toBe('scheduled');
    expect(w.sent).toEqual([]);
  });
});
