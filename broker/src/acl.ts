import { deviceIdSchema, parseTopic, TOPIC_ROOT, type TopicKind, topicKinds, topics } from '@aftercare/core';
import type { ServiceAccount } from './ports.ts';

/** Who is behind an authenticated MQTT connection. */
export type Principal =
  | { kind: 'device'; deviceId: string }
  | { kind: 'service'; username: string; role: ServiceAccount['role'] };

/**
 * What devices write and the platform's services read; commands only flow the other way. The
 * checks below run for every message, so they compare strings rather than parse: a device id was
 * validated at login and cannot hold `/` or wildcards.
 */
const upstreamKinds: ReadonlySet<string> = new Set<TopicKind>(['telemetry', 'events', 'status']);
const allKinds: ReadonlySet<string> = new Set<string>(topicKinds);

/**
 * The kind of a topic the principal may publish to, or null when it may not. A device writes only
 * below its own `aftercare/{id}/` and never its own commands (those come from the platform);
 * a `service` account writes only commands, to any device.
 */
export function publishableKind(principal: Principal, topic: string): TopicKind | null {
  if (principal.kind === 'device') {
    const prefix = `${TOPIC_ROOT}/${principal.deviceId}/`;
    if (!topic.startsWith(prefix)) return null;
    const kind = topic.slice(prefix.length);
    return upstreamKinds.has(kind) ? (kind as TopicKind) : null;
  }
  const parsed = parseTopic(topic);
  return principal.role === 'service' && parsed?.kind === 'commands' ? 'commands' : null;
}

/**
 * A device may subscribe to exactly its own commands topic (no wildcards, so it cannot read a
 * neighbour's). Services may read telemetry, events and status of one device or of all (`+`),
 * never `#`, `$SYS` or another device's commands.
 */
export function maySubscribe(principal: Principal, filter: string): boolean {
  if (principal.kind === 'device') return filter === topics.commands(principal.deviceId);
  const parts = filter.split('/');
  if (parts.length !== 3 || parts[0] !== TOPIC_ROOT) return false;
  const [, device, kind] = parts as [string, string, string];
  const deviceOk = device === '+' || deviceIdSchema.safeParse(device).success;
  return deviceOk && upstreamKinds.has(kind);
}

/**
 * A device's own will may only speak for its own status; the broker publishes presence itself,
 * so a will elsewhere could only be used to write where the device otherwise may not.
 */
export function mayWill(principal: Principal, topic: string): boolean {
  if (principal.kind === 'device') return topic === topics.status(principal.deviceId);
  return publishableKind(principal, topic) !== null;
}

/** A bounded label for metrics: the contract's topic kinds, everything else as `other`. */
export function metricKind(topic: string): TopicKind | 'other' {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== TOPIC_ROOT) return 'other';
  return allKinds.has(parts[2]!) ? (parts[2] as TopicKind) : 'other';
}
