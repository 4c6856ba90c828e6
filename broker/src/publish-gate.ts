import type { TopicKind } from '@aftercare/core';
import type { PublishPacket } from 'aedes';
import type { DeviceLimits } from './device-limits.ts';
import { BrokerRefusalError } from './errors.ts';
import type { PublishInterceptor } from './ports.ts';

/** The little of an aedes client the gate needs. */
export interface GatedClient {
  readonly id: string;
  readonly closed: boolean;
}

export interface PublishGateOptions<C extends GatedClient> {
  limits: DeviceLimits;
  interceptor: PublishInterceptor | null;
  onAccepted(kind: TopicKind): void;
  onRefused(reason: 'rate_limited' | 'intercept_rejected', client: C, topic: string, err?: unknown): void;
}

type Done = (error?: Error | null) => void;

/**
 * The last steps of a device publish inside aedes' authorizePublish, whose callback is what
 * releases the PUBACK and, once a socket read's packets are all called back, the next read.
 * Holding the callback is therefore the backpressure: a device over its rate waits (and only its
 * own socket stops being read), and the interceptor's promise decides when — and whether — the
 * device hears "acknowledged".
 */
export class PublishGate<C extends GatedClient = GatedClient> {
  private readonly delayed = new Set<{ timer: NodeJS.Timeout; done: Done }>();

  constructor(private readonly options: PublishGateOptions<C>) {}

  admit(client: C, deviceId: string, kind: TopicKind, packet: PublishPacket, done: Done): void {
    const waitMs = this.options.limits.reservePublish(deviceId);
    if (waitMs === null) {
      this.options.onRefused('rate_limited', client, packet.topic);
      done(new BrokerRefusalError('rate_limited', `${deviceId} stays over its publish rate`));
      return;
    }
    if (waitMs === 0) {
      this.intercept(client, deviceId, kind, packet, done);
      return;
    }
    const entry = {
      done,
      timer: setTimeout(() => {
        this.delayed.delete(entry);
        this.intercept(client, deviceId, kind, packet, done);
      }, waitMs),
    };
    this.delayed.add(entry);
  }

  /** Publishes still waiting for their turn; they are refused, as their connections are going away. */
  cancelDelayed(): void {
    for (const entry of this.delayed) {
      clearTimeout(entry.timer);
      entry.done(new Error('broker stopping'));
    }
    this.delayed.clear();
  }

  get delayedCount(): number {
    return this.delayed.size;
  }

  private intercept(client: C, deviceId: string, kind: TopicKind, packet: PublishPacket, done: Done): void {
    if (client.closed) {
      done(new Error('connection closed while the publish waited'));
      return;
    }
    const { interceptor, onAccepted } = this.options;
    if (!interceptor) {
      onAccepted(kind);
      done(null);
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const message = { deviceId, kind, topic: packet.topic, payload, qos: packet.qos, retain: packet.retain };
    // A synchronous throw from the interceptor counts as a rejection too.
    Promise.resolve()
      .then(() => interceptor(message))
      .then(
        () => {
          onAccepted(kind);
          done(null);
        },
        (err: unknown) => {
          this.options.onRefused('intercept_rejected', client, packet.topic, err);
          done(new BrokerRefusalError('intercept_rejected', 'publish not taken; the device will redeliver'));
        },
      );
  }
}
