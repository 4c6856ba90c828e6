import { describe, expect, it } from 'vitest';
import { maySubscribe, mayWill, metricKind, type Principal, publishableKind } from './acl.ts';

const device: Principal = { kind: 'device', deviceId: 'ac-0001' };
const ingest: Principal = { kind: 'service', username: 'aftercare-ingest', role: 'ingest' };
const service: Principal = { kind: 'service', username: 'aftercare-service', role: 'service' };

describe('publishableKind', () => {
  it('lets a device write its own telemetry, events and status', () => {
    expect(publishableKind(device, 'aftercare/ac-0001/telemetry')).toBe('telemetry');
    expect(publishableKind(device, 'aftercare/ac-0001/events')).toBe('events');
    expect(publishableKind(device, 'aftercare/ac-0001/status')).toBe('status');
  });

  it('keeps a device out of other devices, its own commands, $SYS and anything off the contract', () => {
    for (const topic of [
      'aftercare/ac-0002/telemetry',
      'aftercare/ac-0001/commands',
      '$SYS/broker/clients',
      'aftercare/ac-0001/telemetry/extra',
      'aftercare/ac-0001/firmware',
      'elsewhere/ac-0001/telemetry',
    ]) {
      expect(publishableKind(device, topic), topic).toBeNull();
    }
  });

  it('lets only the service role send commands, to any device', () => {
    expect(publishableKind(service, 'aftercare/ac-0002/commands')).toBe('commands');
    expect(publishableKind(service, 'aftercare/ac-0002/telemetry')).toBeNull();
    expect(publishableKind(ingest, 'aftercare/ac-0002/commands')).toBeNull();
  });
});

describe('maySubscribe', () => {
  it('gives a device exactly its own commands topic', () => {
    expect(maySubscribe(device, 'aftercare/ac-0001/commands')).toBe(true);
    for (const filter of [
      'aftercare/ac-0002/commands',
      'aftercare/+/commands',
      'aftercare/#',
      '#',
      '$SYS/#',
    ]) {
      expect(maySubscribe(device, filter), filter).toBe(false);
    }
  });

  it('lets services read telemetry, events and status, of all devices or one, and nothing else', () => {
    for (const filter of [
      'aftercare/+/telemetry',
      'aftercare/+/events',
      'aftercare/+/status',
      'aftercare/ac-0001/status',
    ]) {
      expect(maySubscribe(ingest, filter), filter).toBe(true);
    }
    for (const filter of [
      'aftercare/+/commands',
      'aftercare/#',
      'aftercare/+/+',
      '#',
      '$SYS/#',
      '$share/g/aftercare/+/telemetry',
    ]) {
      expect(maySubscribe(service, filter), filter).toBe(false);
    }
  });
});

describe('mayWill', () => {
  it('allows a device a will on its own status topic only', () => {
    expect(mayWill(device, 'aftercare/ac-0001/status')).toBe(true);
    expect(mayWill(device, 'aftercare/ac-0001/telemetry')).toBe(false);
    expect(mayWill(device, 'aftercare/ac-0002/status')).toBe(false);
  });
});

describe('metricKind', () => {
  it('labels contract topics by kind and the rest as other', () => {
    expect(metricKind('aftercare/ac-0001/commands')).toBe('commands');
    expect(metricKind('$SYS/x/heartbeat')).toBe('other');
  });
});
