interface Remembered {
  ts: number;
  written: Promise<void>;
}

/**
 * Remembers the recent `seq` numbers of each device, with the sample time and the promise of the
 * write that carries them, so a QoS 1 redelivery is stored once and its acknowledgement still waits
 * until the first copy is durable. A redelivery repeats the sample itself, time included; the same
 * seq with another time is a new sample from a device that restarted its counter (a reboot, new
 * firmware), which must be stored, not dropped as a copy. Bounded: `perDevice` seqs per device and
 * `maxDevices` devices (least recently used evicted).
 */
export class SeqDeduplicator {
  private readonly devices = new Map<string, Map<number, Remembered>>();

  constructor(
    private readonly perDevice = 512,
    private readonly maxDevices = 200_000,
  ) {}

  /** The pending or settled write of the same sample seen before, or undefined for a new one. */
  seen(deviceId: string, seq: number, ts: number): Promise<void> | undefined {
    const earlier = this.devices.get(deviceId)?.get(seq);
    return earlier?.ts === ts ? earlier.written : undefined;
  }

  remember(deviceId: string, seq: number, ts: number, written: Promise<void>): void {
    let seqs = this.devices.get(deviceId);
    if (seqs) {
      this.devices.delete(deviceId);
    } else {
      seqs = new Map();
      if (this.devices.size >= this.maxDevices) {
        const oldest = this.devices.keys().next().value;
        if (oldest !== undefined) this.devices.delete(oldest);
      }
    }
    this.devices.set(deviceId, seqs);
    // Deleted first so that a seq used again (a restarted counter) counts as the newest.
    seqs.delete(seq);
    seqs.set(seq, { ts, written });
    if (seqs.size > this.perDevice) {
      const oldest = seqs.keys().next().value;
      if (oldest !== undefined) seqs.delete(oldest);
    }
  }

  /** A write that failed must not make its redelivery look like a duplicate. */
  forget(deviceId: string, seq: number, ts: number): void {
    const seqs = this.devices.get(deviceId);
    if (seqs?.get(seq)?.ts === ts) seqs.delete(seq);
  }
}
