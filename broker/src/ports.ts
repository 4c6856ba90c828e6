import type { TopicKind } from '@aftercare/core';

/**
 * Where device secrets live; the service's device registry implements it. Only the hash ever
 * reaches the broker, so a leaked broker process image holds no usable device secret.
 */
export interface DeviceCredentials {
  /** The device's stored scrypt hash (core's `hashSecret` format); null for a device that is not provisioned. */
  lookupSecretHash(deviceId: string): Promise<string | null>;
}

/**
 * One of the platform's own MQTT logins. `ingest` may only read device traffic; `service` may also
 * send commands, so a leaked ingest secret cannot drive devices.
 */
export interface ServiceAccount {
  username: string;
  secretHash: string;
  role: 'ingest' | 'service';
}

/** A device publish that passed authentication, the topic ACL and the rate limit. */
export interface InterceptedPublish {
  deviceId: string;
  kind: TopicKind;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/**
 * Sees every authorized device publish before the broker acknowledges or routes it, except a
 * device's own `offline`, which the broker contradicts while the device is connected (device-status.ts). The device's
 * PUBACK waits for the promise: resolve means "taken" (for ingest: durably stored), reject means
 * "not now" — the connection is closed without PUBACK and the device redelivers after reconnecting.
 * Reject only for conditions that a retry can cure; a payload that will never be acceptable should
 * be recorded and resolved, or the device will redeliver it forever.
 */
export type PublishInterceptor = (message: InterceptedPublish) => Promise<void>;
