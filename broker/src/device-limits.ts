export interface DeviceLimitsOptions {
  /** Sustained publishes per second per device. */
  msgsPerSecond: number;
  /** Publishes a quiet device may send at once. */
  burst: number;
  /** A publish that would have to wait longer than this is refused instead (the device is disconnected). */
  maxDelayMs: number;
  /** CONNECTs per device id in any 60 s window. */
  connectsPerMinute: number;
  /** Devices tracked at most; past it idle entries go first, then the oldest. */
  maxTracked: number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

interface DeviceState {
  tokens: number;
  refilledAt: number;
  /** Accepted CONNECT times within the last minute; never more than connectsPerMinute of them. */
  connects: number[];
}

const minuteMs = 60_000;

/**
 * Per-device rate limits, keyed by device id rather than connection so that reconnecting does not
 * refill anything. The publish bucket hands out reservations: a publish beyond the rate is told how
 * long to wait, and the caller holds it (and with it that one socket) for that long. An entry that
 * has refilled completely and saw no recent CONNECT says nothing a fresh entry would not, so sweep()
 * drops it; that keeps the map at the size of the recently busy devices.
 */
export class DeviceLimits {
  private readonly devices = new Map<string, DeviceState>();
  private readonly now: () => number;
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DeviceLimitsOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Milliseconds the publish must wait (0 = go now), or null when that wait would exceed maxDelayMs. */
  reservePublish(deviceId: string): number | null {
    const { msgsPerSecond, burst, maxDelayMs } = this.options;
    const now = this.now();
    const state = this.stateOf(deviceId, now);
    state.tokens = Math.min(burst, state.tokens + ((now - state.refilledAt) * msgsPerSecond) / 1000);
    state.refilledAt = now;
    const waitMs = state.tokens >= 1 ? 0 : ((1 - state.tokens) * 1000) / msgsPerSecond;
    if (waitMs > maxDelayMs) return null;
    state.tokens -= 1;
    return waitMs;
  }

  /** Records a CONNECT if the device has not used up its minute; false when it has. */
  allowConnect(deviceId: string): boolean {
    const now = this.now();
    const state = this.stateOf(deviceId, now);
    const recent = state.connects.filter((t) => now - t < minuteMs);
    state.connects = recent;
    if (recent.length >= this.options.connectsPerMinute) return false;
    recent.push(now);
    return true;
  }

  /** Drops entries that carry no state; returns how many remain. */
  sweep(): number {
    const now = this.now();
    this.sweptAt = now;
    for (const [deviceId, state] of this.devices) {
      if (this.isIdle(state, now)) this.devices.delete(deviceId);
    }
    return this.devices.size;
  }

  get size(): number {
    return this.devices.size;
  }

  private isIdle(state: DeviceState, now: number): boolean {
    const refilled = state.tokens + ((now - state.refilledAt) * this.options.msgsPerSecond) / 1000;
    const lastConnect = state.connects[state.connects.length - 1];
    return refilled >= this.options.burst && (lastConnect === undefined || now - lastConnect >= minuteMs);
  }

  private stateOf(deviceId: string, now: number): DeviceState {
    let state = this.devices.get(deviceId);
    if (state) return state;
    if (this.devices.size >= this.options.maxTracked) {
      // A flood of made-up ids must not turn every CONNECT into a full sweep: at most one a second,
      // and otherwise forgetting the oldest entry only grants that device a fresh budget.
      const swept = now - this.sweptAt >= 1000 ? this.sweep() : this.devices.size;
      if (swept >= this.options.maxTracked) this.devices.delete(this.devices.keys().next().value!);
    }
    state = { tokens: this.options.burst, refilledAt: now, connects: [] };
    this.devices.set(deviceId, state);
    return state;
  }
}
