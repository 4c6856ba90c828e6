import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type DeviceCommand, type Ticket } from '@aftercare/core';
import {
  createSqliteStore,
  PresenceTracker,
  RejectionLog,
  type SqliteTelemetryStore,
} from '@aftercare/ingest';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type ServiceApp } from '../src/app.ts';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import {
  type CommandPublisher,
  createRemoteTroubleshooting,
  type RemoteTroubleshooting,
} from '../src/operations/remote-commands.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, hour } from './support/factories.ts';

const adminToken = 'test-admin-token-0123456789';
const minute = 60_000;

/** The commands the "broker" took, by device; `refuse` makes it fail the next publishes. */
class RecordingPublisher implements CommandPublisher {
  readonly sent: { deviceId: string; command: DeviceCommand }[] = [];
  refuse = false;
  async publish(deviceId: string, command: DeviceCommand): Promise<void> {
    if (this.refuse) throw new Error('broker is stopping');
    this.sent.push({ deviceId, command });
  }
}

interface RemoteService {
  url: string;
  app: ServiceApp;
  db: ServiceDatabase;
  store: SqliteTelemetryStore;
  repos: ServiceRepositories;
  remote: RemoteTroubleshooting;
  publisher: RecordingPublisher;
  time: { now: number };
  dir: string;
}

/** The real service over a real SQLite database on a free port, with remote troubleshooting wired in. */
async function startRemoteService(options: { publisher?: boolean } = {}): Promise<RemoteService> {
  const time = { now: Date.UTC(2026, 10, 25, 3, 30) };
  const clock = () => time.now;
  const db = await createDatabase({ file: ':memory:' });
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-remote-'));
  const store = createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 30 });
  await store.init();
  const logger = createLogger({ level: 'silent' });
  const repos = createServiceRepositories(db, { clock });
  const publisher = new RecordingPublisher();
  const remote = createRemoteTroubleshooting({
    repositories: repos,
    publisher: options.publisher === false ? null : publisher,
    logger,
    clock,
    answerTimeoutMs: 15 * minute,
  });
  const app = build(
    { adminToken },
    {
      db,
      store,
      presence: new PresenceTracker(),
      rejections: new RejectionLog(10),
      metrics: new Registry(),
      logger,
      repositories: repos,
      remote,
      clock,
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { url: `http://127.0.0.1:${address.port}`, app, db, store, repos, remote, publisher, time, dir };
}

async function stopRemoteService(s: RemoteService): Promise<void> {
  await s.app.close();
  await s.store.close();
  await s.db.destroy();
  rmSync(s.dir, { recursive: true, force: true });
}

async function call(
  s: RemoteService,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape the endpoint answers
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? adminToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(s.url + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: await res.json() };
}

describe('remote commands from a ticket, over HTTP', () => {
  let s: RemoteService;
  let fridge: Ticket;
  let otherTicket: Ticket;
  const tokens = { planner: '', customerA: '', customerB: '', assignedTech: '', otherTech: '' };

  beforeAll(async () => {
    s = await startRemoteService();
    const { repos } = s;
    const a = await repos.customers.create(aCustomer());
    const b = await repos.customers.create(aCustomer());
    const siteA = await repos.customers.createSite(a.id, aSite());
    const siteB = await repos.customers.createSite(b.id, aSite());
    const { device } = await repos.devices.provision(
      aDevice({ model: 'refrigerator', customerId: a.id, siteId: siteA.id }),
    );
    const { device: deviceB } = await repos.devices.provision(
      aDevice({ model: 'refrigerator', customerId: b.id, siteId: siteB.id }),
    );
    const partner = await repos.partners.createPartner(aPartner());
    const skills = [{ skill: 'electronics' as const }, { skill: 'general_service' as const }];
    const assigned = await repos.partners.createTechnician(partner.id, aTechnician({ skills }));
    const other = await repos.partners.createTechnician(partner.id, aTechnician({ skills }));
    const planner = { id: 'user:planner', role: 'planner' as const, customerId: null, technicianId: null };
    fridge = await repos.tickets.create(
      { kind: 'corrective', deviceId: device.id, description: 'Too cold', failureMode: 'sensor_drift' },
      planner,
    );
    const start = s.time.now + 6 * hour;
    fridge = await repos.tickets.transition(
      fridge.id,
      { to: 'scheduled', technicianId: assigned.id, appointment: { start, end: start + 2 * hour } },
      planner,
    );
    otherTicket = await repos.tickets.create(
      { kind: 'corrective', deviceId: deviceB.id, description: 'Warm', failureMode: 'sensor_drift' },
      planner,
    );
    const token = async (role: 'planner' | 'customer' | 'technician', scope?: string) =>
      (
        await repos.tokens.create({
          name: `test ${role}`,
          role,
          customerId: role === 'customer' ? scope! : null,
          technicianId: role === 'technician' ? scope! : null,
        })
      ).token;
    tokens.planner = await token('planner');
    tokens.customerA = await token('customer', a.id);
    tokens.customerB = await token('customer', b.id);
    tokens.assignedTech = await token('technician', assigned.id);
    tokens.otherTech = await token('technician', other.id);
  });
  afterAll(() => stopRemoteService(s));

  const send = (ticketId: string, body: unknown, token = tokens.planner) =>
    call(s, `/api/tickets/${ticketId}/commands`, { method: 'POST', token, body });

  it('offers the failure mode’s remote fix and the diagnostic ping', async () => {
    const res = await call(s, `/api/tickets/${fridge.id}/commands`, { token: tokens.planner });
    expect(res.status).toBe(200);
    expect(res.body.available.map((c: { command: string }) => c.command)).toEqual([
      'recalibrate_sensor',
      'ping',
    ]);
    expect(res.body.available[0]).toMatchObject({ clears: 'sensor_drift' });
    expect(res.body.sent).toEqual([]);
  });

  it('publishes a planner’s command on the device’s commands topic and records it on the ticket', async () => {
    const res = await send(fridge.id, { command: 'recalibrate_sensor', args: { offset_c: -1.5 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ticketId: fridge.id,
      deviceId: fridge.deviceId,
      command: 'recalibrate_sensor',
      args: { offset_c: -1.5 },
      status: 'sent',
      sentAt: s.time.now,
      answeredAt: null,
    });
    expect(s.publisher.sent.at(-1)).toEqual({
      deviceId: fridge.deviceId,
      command: {
        commandId: res.body.id,
        command: 'recalibrate_sensor',
        args: { offset_c: -1.5 },
        ts: s.time.now,
      },
    });
    const detail = await call(s, `/api/tickets/${fridge.id}`);
    expect(detail.body.audit.at(-1)).toMatchObject({
      action: 'command_sent',
      toStatus: 'scheduled',
      data: { commandId: res.body.id, command: 'recalibrate_sensor' },
    });
  });

  it('records the device’s answer on the ticket and in its timeline', async () => {
    const sent = await send(fridge.id, { command: 'ping' });
    s.time.now += 2_000;
    const recorded = await s.remote.handleDeviceEvent(fridge.deviceId, {
      ts: s.time.now,
      type: 'command_result',
      code: 'ok',
      commandId: sent.body.id,
      message: 'pong',
    });
    expect(recorded).toMatchObject({ status: 'answered', answerCode: 'ok', answerMessage: 'pong' });
    const list = await call(s, `/api/tickets/${fridge.id}/commands`, { token: tokens.assignedTech });
    expect(list.body.sent.find((c: { id: string }) => c.id === sent.body.id)).toMatchObject({
      status: 'answered',
      answeredAt: s.time.now,
      answerCode: 'ok',
      answerMessage: 'pong',
    });
    const detail = await call(s, `/api/tickets/${fridge.id}`);
    expect(detail.body.audit.at(-1)).toMatchObject({
      action: 'command_answered',
      actor: 'system:remote-troubleshooting',
      reason: 'device answered ok: pong',
    });
  });

  it('announces the answer as a change of the ticket, so open ticket pages reload with it', async () => {
    const sent = await send(fridge.id, { command: 'ping' });
    const heard: unknown[] = [];
    const stop = s.repos.events.subscribe((event) => heard.push(event));
    try {
      await s.remote.handleDeviceEvent(fridge.deviceId, {
        ts: s.time.now,
        type: 'command_result',
        code: 'ok',
        commandId: sent.body.id,
      });
    } finally {
      stop();
    }
    expect(heard).toContainEqual(
      expect.objectContaining({ type: 'ticket.changed', ticketId: fridge.id, action: 'command_answered' }),
    );
  });

  it('ignores an answer that names another device’s command', async () => {
    const sent = await send(fridge.id, { command: 'ping' });
    const forged = await s.remote.handleDeviceEvent(otherTicket.deviceId, {
      ts: s.time.now,
      type: 'command_result',
      code: 'ok',
      commandId: sent.body.id,
    });
    expect(forged).toBeNull();
    expect((await s.repos.commands.get(sent.body.id))!.status).toBe('sent');
  });

  it('times out a command the device never answered, and still records a late answer', async () => {
    const sent = await send(fridge.id, { command: 'ping' });
    s.time.now += 16 * minute;
    const expired = await s.remote.expireUnanswered();
    expect(expired.map((c) => c.id)).toContain(sent.body.id);
    const list = await call(s, `/api/tickets/${fridge.id}/commands`);
    expect(list.body.sent.find((c: { id: string }) => c.id === sent.body.id).status).toBe('timed_out');
    const audit = (await call(s, `/api/tickets/${fridge.id}`)).body.audit;
    expect(audit.some((e: { action: string }) => e.action === 'command_timed_out')).toBe(true);

    await s.remote.handleDeviceEvent(fridge.deviceId, {
      ts: s.time.now,
      type: 'command_result',
      code: 'ok',
      commandId: sent.body.id,
    });
    expect((await s.repos.commands.get(sent.body.id))!.status).toBe('answered');
  });

  it('lets the technician assigned to the ticket send commands, and nobody else’s technician', async () => {
    expect((await send(fridge.id, { command: 'ping' }, tokens.assignedTech)).status).toBe(201);
    const other = await send(fridge.id, { command: 'ping' }, tokens.otherTech);
    expect(other.status).toBe(404);
  });

  it('does not let a customer send commands, and hides other customers’ tickets with 404', async () => {
    const own = await send(fridge.id, { command: 'recalibrate_sensor' }, tokens.customerA);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('FORBIDDEN');
    const foreign = await call(s, `/api/tickets/${fridge.id}/commands`, { token: tokens.customerB });
    expect(foreign.status).toBe(404);
    const sentBefore = s.publisher.sent.length;
    expect((await send(fridge.id, { command: 'ping' }, tokens.customerB)).status).toBe(403);
    expect(s.publisher.sent.length).toBe(sentBefore);
  });

  it('answers a bad body with 400 naming the field', async () => {
    const badName = await send(fridge.id, { command: 'Reset Now!' });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/^body\.command: /);
    const missing = await send(fridge.id, { args: { offset_c: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/body\.command: is required/);
    const badArgs = await send(fridge.id, { command: 'ping', args: { offset_c: { nested: true } } });
    expect(badArgs.status).toBe(400);
    expect(badArgs.body.message).toMatch(/^body\.args\.offset_c: /);
    const extra = await send(fridge.id, { command: 'ping', urgent: true });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toMatch(/urgent/);
    const notForThisTicket = await send(fridge.id, { command: 'reset_controller' });
    expect(notForThisTicket.status).toBe(400);
    expect(notForThisTicket.body.message).toMatch(
      /^body\.command: reset_controller does not apply to this ticket/,
    );
  });

  it('records a command the broker would not take as failed', async () => {
    s.publisher.refuse = true;
    try {
      const res = await send(fridge.id, { command: 'ping' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'failed',
        answerMessage: expect.stringMatching(/broker is stopping/),
      });
      const audit = (await call(s, `/api/tickets/${fridge.id}`)).body.audit;
      expect(audit.at(-1)).toMatchObject({ action: 'command_failed' });
    } finally {
      s.publisher.refuse = false;
    }
  });

  it('refuses commands for a ticket whose work is over', async () => {
    const planner = { id: 'user:planner', role: 'planner' as const, customerId: null, technicianId: null };
    await s.repos.tickets.transition(otherTicket.id, { to: 'cancelled', reason: 'duplicate' }, planner);
    const res = await send(otherTicket.id, { command: 'ping' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/cancelled/);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await call(s, '/api/openapi.json');
    const path = doc.body.paths['/api/tickets/{id}/commands'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(path.post.requestBody.content['application/json'].schema.required).toEqual(['command']);
  });
});

describe('remote commands where the process has no MQTT link', () => {
  let s: RemoteService;
  beforeAll(async () => {
    s = await startRemoteService({ publisher: false });
  });
  afterAll(() => stopRemoteService(s));

  it('lists what applies but refuses to send with 409, saying why', async () => {
    const customer = await s.repos.customers.create(aCustomer());
    const { device } = await s.repos.devices.provision(
      aDevice({ model: 'water-purifier', customerId: customer.id }),
    );
    const ticket = await s.repos.tickets.create(
      { kind: 'corrective', deviceId: device.id, description: 'Blinking', failureMode: 'controller_fault' },
      { id: 'admin', role: 'admin', customerId: null, technicianId: null },
    );
    const list = await call(s, `/api/tickets/${ticket.id}/commands`);
    expect(list.body.available.map((c: { command: string }) => c.command)).toEqual([
      'reset_controller',
      'ping',
    ]);
    const res = await call(s, `/api/tickets/${ticket.id}/commands`, {
      method: 'POST',
      body: { command: 'reset_controller' },
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/no MQTT link/);
  });
});
