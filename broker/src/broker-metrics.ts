import type { TopicKind } from '@aftercare/core';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type RefusalReason, refusalReasons } from './errors.ts';

export type Listener = 'tcp' | 'ws' | 'mqtts' | 'wss';
type KindLabel = TopicKind | 'other';

export interface BrokerMetrics {
  connected(listener: Listener): void;
  messageIn(kind: KindLabel): void;
  messageOut(kind: KindLabel): void;
  refused(reason: RefusalReason): void;
  /** Stops counting this broker's clients in the shared gauge. */
  detach(): void;
}

/**
 * Brokers that share a registry (a restart within one process, or tests) share its metrics: a
 * second `new Counter` with the same name would throw, so each metric is taken from the registry
 * when it is already there. The gauge sums every live broker's own count, so a stopped broker
 * stops contributing instead of leaving its last value behind.
 */
const clientSources = new WeakMap<Registry, Set<() => number>>();

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function createBrokerMetrics(registry: Registry, connectedClients: () => number): BrokerMetrics {
  const sources = clientSources.get(registry) ?? new Set<() => number>();
  clientSources.set(registry, sources);
  sources.add(connectedClients);
  if (!registry.getSingleMetric('aftercare_broker_connected_clients')) {
    new Gauge({
      name: 'aftercare_broker_connected_clients',
      help: 'MQTT clients (devices and platform services) connected now',
      registers: [registry],
      collect() {
        let total = 0;
        for (const count of clientSources.get(registry) ?? []) total += count();
        this.set(total);
      },
    });
  }

  const messagesIn = counter(
    registry,
    'aftercare_broker_messages_in_total',
    'Publishes accepted from clients, by topic kind',
    ['kind'],
  );
  const messagesOut = counter(
    registry,
    'aftercare_broker_messages_out_total',
    'Messages delivered to subscribers, by topic kind',
    ['kind'],
  );
  const refusals = counter(
    registry,
    'aftercare_broker_refusals_total',
    'Logins, publishes, subscriptions and connections the broker refused, by reason',
    ['reason'],
  );
  const connections = counter(
    registry,
    'aftercare_broker_connections_total',
    'Logins accepted, by listener',
    ['listener'],
  );
  // Every reason shows from the start, so an alert on a rate does not wait for the first refusal.
  for (const reason of refusalReasons) refusals.inc({ reason }, 0);

  return {
    connected: (listener) => connections.inc({ listener }),
    messageIn: (kind) => messagesIn.inc({ kind }),
    messageOut: (kind) => messagesOut.inc({ kind }),
    refused: (reason) => refusals.inc({ reason }),
    detach: () => sources.delete(connectedClients),
  };
}
