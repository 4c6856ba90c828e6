import type { EventEmitter } from 'node:events';
import type { Logger } from '@aftercare/core';
import type { Registry } from 'prom-client';
import type { RefusalReason } from './errors.ts';
import type { BrokerAddresses, TlsPem } from './listeners.ts';
import type { DeviceCredentials, PublishInterceptor, ServiceAccount } from './ports.ts';

/** What the rest of the platform sees of the embedded broker: its options, its needs, its events. */

export interface BrokerOptions {
  host: string;
  /** null disables a listener; 0 picks a free port. */
  tcpPort: number | null;
  wsPort: number | null;
  mqttsPort: number | null;
  wssPort: number | null;
  /** PEM text of certificate and key (not paths); enables the MQTTS and WSS listeners. */
  tls?: TlsPem | null;
  /** Sustained publishes per second per device. */
  msgsPerSecond: number;
  /** Publishes a quiet device may send at once; default 2 × msgsPerSecond. */
  burst?: number;
  /** A device whose next publish would wait longer than this is disconnected instead; default 2,000. */
  maxPublishDelayMs?: number;
  /** CONNECTs per device id in any 60 s window. */
  connectsPerMinute: number;
  /** Larger packets cut the connection before they are buffered; default 512 KiB. */
  maxPacketBytes?: number;
  /** How long a verified device secret skips scrypt on reconnect; default 10 minutes. */
  authCacheTtlMs?: number;
  /** Time a new socket gets to send CONNECT; default 10,000. */
  connectTimeoutMs?: number;
}

export interface BrokerDeps {
  logger: Logger;
  metrics: Registry;
  credentials: DeviceCredentials;
  serviceAccounts?: readonly ServiceAccount[];
  /** Sees every authorized device publish before it is acknowledged; see PublishInterceptor. */
  interceptor?: PublishInterceptor;
}

export interface Refusal {
  reason: RefusalReason;
  clientId: string | null;
  username: string | null;
  topic?: string;
}

export interface BrokerEvents {
  deviceOnline: [deviceId: string];
  deviceOffline: [deviceId: string];
  refused: [refusal: Refusal];
}

export interface PublishOptions {
  qos?: 0 | 1 | 2;
  retain?: boolean;
}

export interface Broker extends EventEmitter<BrokerEvents> {
  /** Opens the listeners; resolves with the ports actually bound. */
  start(): Promise<BrokerAddresses>;
  /** Stops accepting, disconnects every client (announcing devices offline) and closes aedes. */
  stop(): Promise<void>;
  /** The platform's own downlink (commands); no ACL applies. */
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  connectedDevices(): number;
  isOnline(deviceId: string): boolean;
}

export const defaultMaxPacketBytes = 512 * 1024;
