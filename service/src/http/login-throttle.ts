export interface LoginThrottleOptions {
  /** Failed attempts allowed per key within the window. */
  max: number;
  timeWindowMs: number;
  /** Keys remembered at most (default 10,000); past it the key whose window started first is forgotten. */
  maxKeys?: number;
  clock?: () => number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Window {
  failures: number;
  endsAt: number;
}

/**
 * Counts failed logins per key in a fixed window, to stop password guessing without locking out
 * people who log in often. An attempt counts from the moment it starts, so guesses sent in parallel
 * cannot all slip through while the first are still being hashed; a successful one takes back its own
 * count and every failure before it.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;
  private readonly clock: () => number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.maxKeys = options.maxKeys ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Lets an attempt through and counts it, or says how long the key must wait. */
  startAttempt(key: string): AttemptVerdict {
    const now = this.clock();
    const window = this.windows.get(key);
    if (window !== undefined && window.endsAt > now) {
      if (window.failures >= this.options.max) return { allowed: false, retryAfterMs: window.endsAt - now };
      window.failures += 1;
      return { allowed: true };
    }
    // Deleted and set again, so that the map's order stays the order in which windows end.
    this.windows.delete(key);
    this.makeRoom(now);
    this.windows.set(key, { failures: 1, endsAt: now + this.options.timeWindowMs });
    return { allowed: true };
  }

  /** The attempt was right: the key starts over. */
  succeeded(key: string): void {
    this.windows.delete(key);
  }

  /** Keys being remembered (ended windows go when room is needed). */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) break;
      this.windows.delete(key);
    }
    // Still full of live windows: the one closest to its end goes. A flood of keys can thus make the
    // limiter forget a guesser, which is the price of a bound; the bound is far above honest traffic.
    if (this.windows.size >= this.maxKeys) {
      const first = this.windows.keys().next();
      if (!first.done) this.windows.delete(first.value);
    }
  }
}
