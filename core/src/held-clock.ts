/**
 * The system's clock, which can be held at an instant while something runs, then let go: the tests
 * hold a running service's clock at a booked visit, where a technician may start it, without
 * stopping time for everything else the process does.
 */
export interface HeldClock {
  now(): number;
  at<T>(instant: number, act: () => Promise<T>): Promise<T>;
}

export function heldClock(base: () => number = Date.now): HeldClock {
  let heldAt: number | undefined;
  return {
    now: () => heldAt ?? base(),
    async at(instant, act) {
      const before = heldAt;
      heldAt = instant;
      try {
        return await act();
      } finally {
        heldAt = before;
      }
    },
  };
}
