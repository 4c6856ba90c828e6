import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DeviceStatus, type Logger, topics } from '@aftercare/core';
import { Aedes, type AuthenticateError, type Client, type ConnectPacket, type PublishPacket } from 'aedes';
import { maySubscribe, mayWill, metricKind, type Principal, publishableKind } from './acl.ts';
import { Authenticator } from './authenticator.ts';
import {
  type Broker,
  type BrokerDeps,
  type BrokerEvents,
  type BrokerOptions,
  defaultMaxPacketBytes,
  type PublishOptions,
  type Refusal,
} from './broker-api.ts';
import { type BrokerMetrics, createBrokerMetrics, type Listener } from './broker-metrics.ts';
import { DeviceLimits } from './device-limits.ts';
import { contradictsLiveConnection, deviceStatusOf, withBrokerPresence } from './device-status.ts';
import {
  BrokerRefusalError,
  BrokerStateError,
  type ConnackRefusal,
  connackRefusal,
  type RefusalReason,
} from './errors.ts';
import { assertPem, type BrokerAddresses, type OpenListeners, openListeners } from './listeners.ts';
import { limitPacketSize } from './packet-size-guard.ts';
import { PresenceBook } from './presence.ts';
import { PublishGate } from './publish-gate.ts';

/** Builds an embedded aedes broker with Aftercare's logins, ACL, presence, limits and metrics; un-started. */
export function buildBroker(options: BrokerOptions, deps: BrokerDeps): Broker {
  if (options.tls) assertPem(options.tls);
  return new EmbeddedBroker(options, deps);
}

class EmbeddedBroker extends EventEmitter<BrokerEvents> implements Broker {
  private readonly log: Logger;
  private readonly metrics: BrokerMetrics;
  private readonly authenticator: Authenticator;
  private readonly limits: DeviceLimits;
  private readonly gate: PublishGate<Client>;
  private readonly presence = new PresenceBook<Client>();
  private readonly principals = new WeakMap<Client, Principal>();
  private readonly connectPackets = new WeakMap<Client, ConnectPacket>();
  private readonly listenerOf = new WeakMap<Duplex, Listener>();
  private readonly readyClients = new Set<Client>();
  /**
   * Clients whose connection is being closed over a refused publish. The rest of that socket read
   * is already being handled; those publishes are turned away quietly, so one disconnect counts once.
   */
  private readonly closing = new WeakSet<Client>();
  private readonly maxPacketBytes: number;
  private aedes: Aedes | null = null;
  private sockets: OpenListeners | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  private starting: Promise<BrokerAddresses> | null = null;

  constructor(
    private readonly options: BrokerOptions,
    deps: BrokerDeps,
  ) {
    super();
    this.log = deps.logger.child({ component: 'broker' });
    this.maxPacketBytes = options.maxPacketBytes ?? defaultMaxPacketBytes;
    this.metrics = createBrokerMetrics(deps.metrics, () => this.readyClients.size);
    this.authenticator = new Authenticator({
      credentials: deps.credentials,
      serviceAccounts: deps.serviceAccounts ?? [],
      cacheTtlMs: options.authCacheTtlMs ?? 10 * 60_000,
      maxCacheEntries: 100_000,
    });
    this.limits = new DeviceLimits({
      msgsPerSecond: options.msgsPerSecond,
      burst: options.burst ?? 2 * options.msgsPerSecond,
      maxDelayMs: options.maxPublishDelayMs ?? 2000,
      connectsPerMinute: options.connectsPerMinute,
      maxTracked: 200_000,
    });
    this.gate = new PublishGate<Client>({
      limits: this.limits,
      interceptor: deps.interceptor ? withBrokerPresence(deps.interceptor) : null,
      onAccepted: (kind) => this.metrics.messageIn(kind),
      onRefused: (reason, client, topic, err) => {
        if (err) this.log.debug({ err, clientId: client.id, topic }, 'interceptor refused a publish');
        this.refusePublish(reason, client, topic);
      },
    });
  }

  start(): Promise<BrokerAddresses> {
    if (this.state !== 'new')
      return Promise.reject(new BrokerStateError(`broker cannot start: it is ${this.state}`));
    this.state = 'starting';
    this.starting = this.open();
    return this.starting;
  }

  private async open(): Promise<BrokerAddresses> {
    const aedes = await Aedes.createBroker({
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      preConnect: (client, packet, done) => {
        this.connectPackets.set(client, packet);
        done(null, true);
      },
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => {
        const principal = this.principals.get(client);
        if (principal && maySubscribe(principal, sub.topic)) {
          done(null, sub);
          return;
        }
        this.refuse('forbidden_subscribe', client, sub.topic);
        done(null, null); // a SUBACK failure code (0x80) rather than a disconnect
      },
      authorizeForward: (client, packet) => {
        const principal = this.principals.get(client);
        // Subscriptions already keep devices to their commands; this holds even if that ever slips.
        if (principal?.kind === 'device' && packet.topic !== topics.commands(principal.deviceId)) return null;
        this.metrics.messageOut(metricKind(packet.topic));
        return packet;
      },
    });
    this.aedes = aedes;
    aedes.on('clientReady', (client) => this.clientReady(client));
    aedes.on('clientDisconnect', (client) => this.clientDisconnected(client));
    aedes.on('publish', (packet, client) => this.published(packet, client));
    aedes.on('clientError', (client, err) => this.log.debug({ err, clientId: client.id }, 'client error'));
    aedes.on('connectionError', (_client, err) => this.log.debug({ err }, 'connection error'));
    // Unhandled, aedes' 'error' (a failing persistence) would take the whole process down.
    (aedes as EventEmitter).on('error', (err: Error) => this.log.error({ err }, 'broker error'));

    try {
      this.sockets = await openListeners(
        { ...this.options, tls: this.options.tls ?? null, maxPacketBytes: this.maxPacketBytes },
        (conn, listener, req) => this.accept(conn, listener, req),
        (listener, err) => this.log.error({ err, listener }, 'listener error'),
      );
    } catch (err) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      this.metrics.detach();
      this.state = 'stopped';
      throw err;
    }
    this.sweeper = setInterval(() => this.limits.sweep(), 30_000).unref();
    this.state = 'running';
    return this.sockets.addresses;
  }

  async stop(): Promise<void> {
    // A stop that arrives while starting waits for the start, so nothing it opens is left behind.
    if (this.state === 'starting') await this.starting?.catch(() => undefined);
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    if (this.sweeper) clearInterval(this.sweeper);
    const listenersClosed = this.sockets?.stopAccepting();
    this.gate.cancelDelayed();
    const aedes = this.aedes!;
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    this.sockets?.destroyConnections();
    await listenersClosed;
    this.metrics.detach();
  }

  publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    const aedes = this.aedes;
    if (!aedes || this.state !== 'running') {
      return Promise.reject(new BrokerStateError('broker is not running'));
    }
    const packet: PublishPacket = {
      cmd: 'publish',
      topic,
      payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
      qos: options.qos ?? 1,
      retain: options.retain ?? false,
      dup: false,
    };
    return new Promise((resolve, reject) => aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  connectedDevices(): number {
    return this.presence.onlineCount;
  }

  isOnline(deviceId: string): boolean {
    return this.presence.isOnline(deviceId);
  }

  private accept(conn: Duplex, listener: Listener, req?: IncomingMessage): void {
    this.listenerOf.set(conn, listener);
    limitPacketSize(conn, this.maxPacketBytes, (bytes) => {
      const client = (conn as Duplex & { client?: Client }).client;
      this.log.debug({ bytes, clientId: client?.id }, 'packet too large');
      this.refuse('packet_too_large', client ?? null);
    });
    this.aedes!.handle(conn, req);
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const will = this.connectPackets.get(client)?.will;
    this.connectPackets.delete(client);
    const refuse = (reason: RefusalReason, returnCode: ConnackRefusal) => {
      this.refuse(reason, client, undefined, username ?? null);
      done(new BrokerRefusalError(reason, `login refused: ${reason}`, returnCode) as AuthenticateError, null);
    };
    // Before any scrypt work, so that a reconnect loop costs next to nothing.
    if (username && !this.limits.allowConnect(username)) {
      refuse('connect_rate_limited', connackRefusal.serverUnavailable);
      return;
    }
    this.authenticator.login({ username: username ?? '', password, clientId: client.id }).then(
      (result) => {
        if (!result.ok) {
          refuse(result.reason, result.returnCode);
          return;
        }
        if (will && !mayWill(result.principal, will.topic)) {
          refuse('forbidden_will', connackRefusal.notAuthorized);
          return;
        }
        // aedes drops a client that closed while we were verifying; so must presence.
        if (client.closed) {
          done(null, false);
          return;
        }
        this.principals.set(client, result.principal);
        if (result.principal.kind === 'device') this.presence.loggedIn(result.principal.deviceId, client);
        done(null, true);
      },
      (err: unknown) => {
        this.log.error({ err, clientId: client.id }, 'login check failed');
        refuse('auth_unavailable', connackRefusal.serverUnavailable);
      },
    );
  }

  private authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ): void {
    // A null client is a will left by another broker in shared persistence; presence is ours to say.
    const principal = client ? this.principals.get(client) : undefined;
    if (!client || !principal) {
      done(new Error('publish without an authenticated client'));
      return;
    }
    if (this.closing.has(client)) {
      done(new Error('connection is closing after a refused publish'));
      return;
    }
    if (client.closed) {
      // Only a will arrives after close. A device's will is dropped: the broker announces `offline`
      // itself, and a will landing after that announcement would overwrite it.
      done(principal.kind === 'device' ? new Error('device wills are replaced by broker presence') : null);
      return;
    }
    const kind = publishableKind(principal, packet.topic);
    if (!kind) {
      this.refusePublish('forbidden_publish', client, packet.topic);
      done(new BrokerRefusalError('forbidden_publish', `may not publish to ${packet.topic}`));
      return;
    }
    if (principal.kind === 'service') {
      this.metrics.messageIn(kind);
      done(null);
      return;
    }
    if (kind === 'status' && deviceStatusOf(packet.payload) === null) {
      this.refusePublish('invalid_status', client, packet.topic);
      done(new BrokerRefusalError('invalid_status', 'a device status is exactly "online" or "offline"'));
      return;
    }
    this.gate.admit(client, principal.deviceId, kind, packet, done);
  }

  /**
   * Runs once a publish is stored and routed. A device's own `offline` while it is still connected
   * is answered with `online`, retained after it, so presence stays what the connection says
   * (why not refuse it: device-status.ts). Once the connection is gone, the broker's `offline` stands.
   */
  private published(packet: PublishPacket, client: Client | null): void {
    const principal = client ? this.principals.get(client) : undefined;
    if (principal?.kind !== 'device' || packet.topic !== topics.status(principal.deviceId)) return;
    if (
      contradictsLiveConnection(deviceStatusOf(packet.payload)) &&
      this.presence.isOnline(principal.deviceId)
    )
      this.announce(principal.deviceId, 'online');
  }

  private clientReady(client: Client): void {
    const principal = this.principals.get(client);
    if (!principal) return;
    this.readyClients.add(client);
    this.metrics.connected(this.listenerOf.get(client.conn) ?? 'tcp');
    if (principal.kind !== 'device') return;
    const change = this.presence.connected(principal.deviceId, client);
    // Re-asserted on every login: a takeover keeps `online`, and it repairs a status the device overwrote.
    this.announce(principal.deviceId, 'online');
    if (change === 'online') this.emit('deviceOnline', principal.deviceId);
  }

  private clientDisconnected(client: Client): void {
    this.readyClients.delete(client);
    const principal = this.principals.get(client);
    if (principal?.kind !== 'device') return;
    if (this.presence.disconnected(principal.deviceId, client) === 'offline') {
      this.announce(principal.deviceId, 'offline');
      this.emit('deviceOffline', principal.deviceId);
    }
  }

  private announce(deviceId: string, status: DeviceStatus): void {
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: topics.status(deviceId),
      payload: Buffer.from(status),
      qos: 1,
      retain: true,
      dup: false,
    };
    this.aedes?.publish(packet, (err) => {
      // During stop() aedes may already be closing; the next start begins from fresh state anyway.
      if (err && this.state === 'running') this.log.warn({ err, deviceId, status }, 'presence not published');
    });
  }

  private refusePublish(reason: RefusalReason, client: Client, topic: string): void {
    if (this.closing.has(client)) return;
    this.closing.add(client);
    this.refuse(reason, client, topic);
  }

  private refuse(
    reason: RefusalReason,
    client: Client | null,
    topic?: string,
    username?: string | null,
  ): void {
    this.metrics.refused(reason);
    const principal = client ? this.principals.get(client) : undefined;
    const refusal: Refusal = {
      reason,
      clientId: client?.id ?? null,
      username:
        username ??
        (principal ? (principal.kind === 'device' ? principal.deviceId : principal.username) : null),
    };
    if (topic !== undefined) refusal.topic = topic;
    this.emit('refused', refusal);
  }
}
