import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/principal.ts';
import { aCustomer, aDevice, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * A predictive ticket the platform resolved remotely is a failure prevented without a visit: the KPI
 * and trend API count it among the failures prevented and as fixed remotely, over real HTTP and the
 * real database.
 */
describe('failures fixed remotely in the KPIs and trends', () => {
  let service: ServiceHarness;
  let planner: string;
  const time = { now: Date.UTC(2026, 10, 20, 6) };

  beforeAll(async () => {
    service = await startService({ clock: () => time.now });
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const repos = service.repos;
    const customer = await repos.customers.create(aCustomer());
    const fridge = (
      await repos.devices.provision(aDevice({ customerId: customer.id, model: 'refrigerator' }))
    ).device;
    const other = (await repos.devices.provision(aDevice({ customerId: customer.id, model: 'refrigerator' })))
      .device;
    const automation = systemActor('automation');
    // One predictive ticket fixed remotely: the device recalibrated its sensor, the risk cleared.
    const remote = await repos.tickets.create(
      {
        kind: 'predictive',
        deviceId: fridge.id,
        description: 'Sensor drifting',
        failureMode: 'sensor_drift',
      },
      automation,
    );
    time.now += hour;
    await repos.commands.resolveRemotely(
      remote.id,
      { reason: 'fixed remotely: recalibrate_sensor answered ok', data: { command: 'recalibrate_sensor' } },
      systemActor('remote-troubleshooting'),
    );
    // And one customer report resolved the same way: not a predicted failure, not counted.
    const reported = await repos.tickets.create(
      { kind: 'corrective', deviceId: other.id, description: 'Too warm', failureMode: 'sensor_drift' },
      automation,
    );
    await repos.commands.resolveRemotely(
      reported.id,
      { reason: 'fixed remotely', data: {} },
      systemActor('remote-troubleshooting'),
    );
    time.now += hour;
  });
  afterAll(() => service.close());

  it('counts it among the failures prevented, and as fixed remotely', async () => {
    const res = await service.api('/api/kpis?groupBy=model', { token: planner });
    expect(res.status, res.text).toBe(200);
    expect(res.body.overall).toMatchObject({ failuresPrevented: 1, fixedRemotely: 1 });
    expect(res.body.groups).toEqual([
      expect.objectContaining({ key: 'refrigerator', kpis: expect.objectContaining({ fixedRemotely: 1 }) }),
    ]);
    // Answered without a visit, before its SLA: met, not "never visited".
    expect(res.body.overall.slaCompliance).toBe(1);
  });

  it('shows it in the trends: caught, fixed remotely, not a false alarm', async () => {
    const res = await service.api('/api/trends', { token: planner });
    expect(res.status, res.text).toBe(200);
    const sum = (key: string) =>
      res.body.months.reduce((s: number, m: Record<string, number>) => s + m[key]!, 0);
    expect([sum('caught'), sum('fixedRemotely'), sum('falseAlarms')]).toEqual([1, 1, 0]);
    expect(res.body.models).toEqual([expect.objectContaining({ model: 'refrigerator', fixedRemotely: 1 })]);
  });
});
