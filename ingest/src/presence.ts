/** Which devices are connected now, and when each was last heard from. */
export interface PresenceSource {
  isOnline(deviceId: string): boolean;
  lastSeen(deviceId: string): number | null;
  onlineCount(): number;
}

/** Fed by broker connect/disconnect events (embedded) or by retained status messages (external broker). */
export class PresenceTracker implements PresenceSource {
  private readonly online = new Set<string>();
  private readonly seen = new Map<string, number>();

  markOnline(deviceId: string, at = Date.now()): void {
    this.online.add(deviceId);
    this.seen.set(deviceId, at);
  }

  markOffline(deviceId: string, at = Date.now()): void {
    this.online.delete(deviceId);
    this.seen.set(deviceId, at);
  }

  /** Applies a retained status payload (`online` / `offline`); false when it is neither. */
  applyStatus(deviceId: string, payload: Uint8Array | string, at = Date.now()): boolean {
    const status = (typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')).trim();
    if (status === 'online') this.markOnline(deviceId, at);
    else if (status === 'offline') this.markOffline(deviceId, at);
    else return false;
    return true;
  }

  touch(deviceId: string, at = Date.now()): void {
    const previous = this.seen.get(deviceId) ?? 0;
    if (at > previous) this.seen.set(deviceId, at);
  }

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  lastSeen(deviceId: string): number | null {
    return this.seen.get(deviceId) ?? null;
  }

  onlineCount(): number {
    return this.online.size;
  }
}
