export interface LoggedEntry<T> {
  id: number;
  value: T;
}

/**
 * The last `capacity` entries, numbered in the order they were appended, so that a client coming back
 * with the last id it saw can be given what it missed. Ids go up by one from `firstId`; memory is
 * bounded by `capacity` (a capacity of 0 numbers entries but keeps none).
 */
export class EventLog<T> {
  private readonly ring: LoggedEntry<T>[] = [];
  /** Index in `ring` of the oldest entry once the ring is full. */
  private oldest = 0;
  private nextId: number;

  constructor(
    readonly capacity: number,
    firstId = 1,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0)
      throw new RangeError(`capacity: must be a whole number ≥ 0, not ${capacity}`);
    this.nextId = firstId;
  }

  append(value: T): LoggedEntry<T> {
    const entry = { id: this.nextId, value };
    this.nextId += 1;
    if (this.capacity === 0) return entry;
    if (this.ring.length < this.capacity) {
      this.ring.push(entry);
    } else {
      this.ring[this.oldest] = entry;
      this.oldest = (this.oldest + 1) % this.capacity;
    }
    return entry;
  }

  /**
   * The kept entries after `id`, oldest first. An id older than everything kept gets everything kept
   * (what fell out in between is lost); an id not handed out yet gets nothing.
   */
  after(id: number): LoggedEntry<T>[] {
    const count = this.ring.length;
    const firstKept = this.nextId - count;
    const skip = Math.max(0, id - firstKept + 1);
    const entries: LoggedEntry<T>[] = [];
    for (let i = skip; i < count; i += 1) entries.push(this.ring[(this.oldest + i) % count]!);
    return entries;
  }
}

/** An SSE `Last-Event-ID` as one of our ids, or null when it is absent or not one. */
export function parseEventId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value.trim())) return null;
  const id = Number(value.trim());
  return Number.isSafeInteger(id) ? id : null;
}
