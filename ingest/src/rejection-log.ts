import type { RejectionReason, RejectionRecord } from '@aftercare/core';

/** What the API shows operators about rejected messages. */
export interface RejectionSource {
  recent(limit?: number): RejectionRecord[];
  counts(): Partial<Record<RejectionReason, number>>;
}

/** Counts every rejection by reason and keeps the last `capacity` for inspection (a ring buffer). */
export class RejectionLog implements RejectionSource {
  private readonly ring: RejectionRecord[] = [];
  private next = 0;
  private readonly byReason: Partial<Record<RejectionReason, number>> = {};
  private readonly listeners: ((record: RejectionRecord, reason: RejectionReason) => void)[] = [];

  constructor(private readonly capacity = 200) {}

  record(entry: {
    deviceId: string | null;
    topic: string;
    reason: RejectionReason;
    detail: string;
    bytes: number;
    at?: number;
  }): void {
    const record: RejectionRecord = {
      at: new Date(entry.at ?? Date.now()).toISOString(),
      deviceId: entry.deviceId,
      topic: entry.topic.slice(0, 200),
      reason: entry.reason,
      detail: entry.detail.slice(0, 300),
      bytes: entry.bytes,
    };
    this.byReason[entry.reason] = (this.byReason[entry.reason] ?? 0) + 1;
    if (this.ring.length < this.capacity) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) listener(record, entry.reason);
  }

  onRecord(listener: (record: RejectionRecord, reason: RejectionReason) => void): void {
    this.listeners.push(listener);
  }

  /** Newest first. */
  recent(limit = this.capacity): RejectionRecord[] {
    const ordered =
      this.ring.length < this.capacity
        ? [...this.ring]
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.reverse().slice(0, limit);
  }

  counts(): Partial<Record<RejectionReason, number>> {
    return { ...this.byReason };
  }
}
