/**
 * Remembers the recent `seq` numbers of each device, with the promise of the write that carries
 * them, so a QoS 1 redelivery is stored once and its acknowledgement still waits until the first
 * copy is durable. Bounded: `perDevice` seqs per device and `maxDevices` devices (least recently
 * used evicted). Devices that restart their counter simply look new once old seqs age out.
 */
export class SeqDeduplicator {
  private readonly devices = new Map<string, Map<number, Promise<void>>>();

  constructor(
    private readonly perDevice = 512,
    private readonly maxDevices = 200_000,
  ) {}

  /** The pending or settled write of an already-seen seq, or undefined for a new one. */
  seen(deviceId: string, seq: number): Promise<void> | undefined {
    return this.devices.get(deviceId)?.get(seq);
  }

  remember(deviceId: string, seq: number, written: Promise<void>): void {
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
    seqs.set(seq, written);
    if (seqs.size > this.perDevice) {
      const oldest = seqs.keys().next().value;
      if (oldest !== undefined) seqs.delete(oldest);
    }
  }

  /** A write that failed must not make its redelivery look like a duplicate. */
  forget(deviceId: string, seq: number): void {
    this.devices.get(deviceId)?.delete(seq);
  }
}
