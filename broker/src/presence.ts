/**
 * Which connection speaks for each device, so that presence is announced once per real change.
 * MQTT makes a second CONNECT with the same client id take over the first; the old connection's
 * disconnect then arrives before the new one is ready, and must not be announced as `offline`.
 * A connection is recorded when its login succeeds — before aedes kicks the old one — so any
 * disconnect of a connection that is no longer the latest is a takeover, not a departure.
 */
export class PresenceBook<Connection> {
  /** The newest connection whose login succeeded, per device. */
  private readonly latest = new Map<string, Connection>();
  /** The connection that completed CONNECT and currently represents the device. */
  private readonly ready = new Map<string, Connection>();
  /** Devices whose last announced status is `online`. */
  private readonly announced = new Set<string>();

  loggedIn(deviceId: string, connection: Connection): void {
    this.latest.set(deviceId, connection);
  }

  /** `online` when the device was not online before and the change must be announced. */
  connected(deviceId: string, connection: Connection): 'online' | 'unchanged' {
    this.ready.set(deviceId, connection);
    if (this.announced.has(deviceId)) return 'unchanged';
    this.announced.add(deviceId);
    return 'online';
  }

  /** `offline` when the device has no connection left and the change must be announced. */
  disconnected(deviceId: string, connection: Connection): 'offline' | 'unchanged' {
    if (this.ready.get(deviceId) === connection) this.ready.delete(deviceId);
    if (this.latest.get(deviceId) !== connection) return 'unchanged'; // taken over by a newer login
    this.latest.delete(deviceId);
    const older = this.ready.get(deviceId);
    if (older !== undefined) {
      // This connection logged in but died before it took over; the older one still stands.
      this.latest.set(deviceId, older);
      return 'unchanged';
    }
    return this.announced.delete(deviceId) ? 'offline' : 'unchanged';
  }

  isOnline(deviceId: string): boolean {
    return this.announced.has(deviceId);
  }

  get onlineCount(): number {
    return this.announced.size;
  }
}
