import type { Risk, RiskChangedEvent, ServiceEvent } from '@aftercare/core';

export type ServiceEventListener = (event: ServiceEvent) => void;

/**
 * In-process publish/subscribe for ticket and risk changes. Repositories publish after their
 * transaction commits, so a listener never hears of a change that was rolled back. Delivery is
 * synchronous and never blocks the publisher: a listener that needs to do slow work queues it itself
 * (the SSE route bounds its own buffer). A throwing listener is reported and the others still run.
 */
export class EventBus {
  private readonly listeners = new Set<ServiceEventListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  subscribe(listener: ServiceEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: ServiceEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** The event announcing a device's new risk for one component (published by whoever accepts risks). */
export function riskChangedEvent(risk: Risk, customerId: string | null): RiskChangedEvent {
  return {
    type: 'risk.changed',
    deviceId: risk.deviceId,
    customerId,
    component: risk.component,
    failureMode: risk.failureMode,
    pFail: risk.pFail,
    daysLeft: risk.daysLeft,
    modelVersion: risk.modelVersion,
    at: risk.scoredAt,
  };
}
