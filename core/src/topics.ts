import { deviceIdSchema } from './ids.ts';

/** The MQTT topic contract (DESIGN.md): everything a device does lives under `aftercare/{deviceId}/`. */
export const TOPIC_ROOT = 'aftercare';
export const topicKinds = ['telemetry', 'events', 'status', 'commands'] as const;
export type TopicKind = (typeof topicKinds)[number];

export const topics = {
  telemetry: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/telemetry`,
  events: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/events`,
  status: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/status`,
  commands: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/commands`,
  /** Filters the platform's own services subscribe to. */
  allTelemetry: `${TOPIC_ROOT}/+/telemetry`,
  allEvents: `${TOPIC_ROOT}/+/events`,
  allStatus: `${TOPIC_ROOT}/+/status`,
} as const;

export interface ParsedTopic {
  deviceId: string;
  kind: TopicKind;
}

/** Parses a concrete (wildcard-free) topic; null when it is not one of the contract's topics. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== TOPIC_ROOT) return null;
  const [, deviceId, kind] = parts as [string, string, string];
  if (!deviceIdSchema.safeParse(deviceId).success) return null;
  if (!(topicKinds as readonly string[]).includes(kind)) return null;
  return { deviceId, kind: kind as TopicKind };
}
