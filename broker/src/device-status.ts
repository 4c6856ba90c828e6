import { type DeviceStatus, deviceStatusSchema } from '@aftercare/core';
import type { PublishInterceptor } from './ports.ts';

/**
 * A device may announce itself on its own `aftercare/{id}/status` (DESIGN.md), but the retained
 * status is what the API, the console and every external reader take as the device's presence, and
 * the broker is the one party that knows whether the connection is alive. These rules keep the two
 * together.
 */

/**
 * What a device said on its status topic: exactly `online` or `offline`, or null for anything else.
 * Anything else is refused before it is stored, so garbage (or an empty retained payload, which
 * MQTT reads as "delete the retained status") never replaces the broker's announcement.
 */
export function deviceStatusOf(payload: Buffer | string): DeviceStatus | null {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const parsed = deviceStatusSchema.safeParse(text);
  return parsed.success ? parsed.data : null;
}

/**
 * A device's `offline` reaches the broker only over a live connection (a will, sent after the
 * connection closed, is dropped; the broker announces `offline` itself). It is then false by the time
 * anyone reads it, so the broker answers it by re-announcing `online` (see broker.ts) rather than
 * refusing it: refusing would close the connection, and the simulator's own graceful shutdown says
 * `offline` just before its DISCONNECT. The broker's `offline` follows the disconnect as always.
 */
export function contradictsLiveConnection(status: DeviceStatus | null): boolean {
  return status === 'offline';
}

/**
 * The interceptor (ingest, in the embedded platform) minus the device's own `offline`: ingest would
 * mark the device offline from it, and the broker's re-announced `online` never passes the
 * interceptor, so presence would stay wrong while the device is connected.
 */
export function withBrokerPresence(interceptor: PublishInterceptor): PublishInterceptor {
  return (message) =>
    message.kind === 'status' && contradictsLiveConnection(deviceStatusOf(message.payload))
      ? Promise.resolve()
      : interceptor(message);
}
