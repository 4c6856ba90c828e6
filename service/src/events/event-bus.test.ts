import type { ServiceEvent } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../principal.ts';
import { EventBus } from './event-bus.ts';
import { eventVisibleTo } from './event-scope.ts';

const ticketEvent = (customerId: string | null, technicianId: string | null): ServiceEvent => ({
  type: 'ticket.changed',
  ticketId: 't1',
  kind: 'corrective',
  action: 'opened',
  status: 'open',
  previousStatus: null,
  version: 1,
  deviceId: 'd1',
  customerId,
  technicianId,
  at: 1,
});

const riskEvent = (customerId: string | null): ServiceEvent => ({
  type: 'risk.changed',
  deviceId: 'd1',
  customerId,
  component: 'compressor',
  failureMode: 'compressor_wear',
  pFail: 0.7,
  daysLeft: 9,
  modelVersion: 'm1',
  at: 1,
});

const base = { via: 'api_token' as const, tokenId: 'x', userId: null, expiresAt: null };
const planner: Principal = { ...base, role: 'planner', customerId: null, technicianId: null };
const acme: Principal = { ...base, role: 'customer', customerId: 'acme', technicianId: null };
const tech: Principal = { ...base, role: 'technician', technicianId: 'tech-1', customerId: null };

describe('EventBus', () => {
  it('delivers to every subscriber until it unsubscribes', () => {
    const bus = new EventBus();
    const a: ServiceEvent[] = [];
    const b: ServiceEvent[] = [];
    const stopA = bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e));
    bus.publish(ticketEvent('acme', null));
    stopA();
    bus.publish(riskEvent('acme'));
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
    expect(bus.listenerCount).toBe(1);
  });

  it('keeps delivering to the others when one listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const got: ServiceEvent[] = [];
    bus.subscribe(() => {
      throw new Error('broken listener');
    });
    bus.subscribe((e) => got.push(e));
    bus.publish(ticketEvent(null, null));
    expect(got).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});

describe('eventVisibleTo', () => {
  it('shows planners everything', () => {
    expect(eventVisibleTo(planner, ticketEvent('globex', 'tech-2'))).toBe(true);
    expect(eventVisibleTo(planner, riskEvent(null))).toBe(true);
  });

  it("shows a customer only its own tickets and devices' risks", () => {
    expect(eventVisibleTo(acme, ticketEvent('acme', null))).toBe(true);
    expect(eventVisibleTo(acme, riskEvent('acme'))).toBe(true);
    expect(eventVisibleTo(acme, ticketEvent('globex', null))).toBe(false);
    expect(eventVisibleTo(acme, riskEvent(null))).toBe(false);
  });

  it('shows a technician only changes to its own jobs, and no risks', () => {
    expect(eventVisibleTo(tech, ticketEvent('acme', 'tech-1'))).toBe(true);
    expect(eventVisibleTo(tech, ticketEvent('acme', 'tech-2'))).toBe(false);
    expect(eventVisibleTo(tech, ticketEvent('acme', null))).toBe(false);
    expect(eventVisibleTo(tech, riskEvent('acme'))).toBe(false);
  });
});
