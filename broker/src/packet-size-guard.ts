import type { Duplex } from 'node:stream';

/**
 * Neither aedes nor mqtt-packet bounds a packet's size: the parser buffers whatever remaining
 * length a client announces, up to MQTT's 256 MiB. This reads along with aedes — which takes its
 * bytes with `read()` in paused mode — tracking only packet boundaries (a header byte and the
 * variable-length "remaining length"), so an oversized packet is caught from its first few bytes,
 * before its body is buffered, and the connection is cut. The scan is a few integer operations
 * per packet and copies nothing.
 */
export function limitPacketSize(
  conn: Duplex,
  maxPacketBytes: number,
  onTooLarge: (announcedBytes: number) => void,
): void {
  const scanner = new PacketBoundaryScanner(maxPacketBytes);
  const read = conn.read.bind(conn);
  conn.read = (size?: number) => {
    const chunk: unknown = read(size);
    if (!Buffer.isBuffer(chunk)) return chunk;
    const tooLarge = scanner.scan(chunk);
    if (tooLarge === null) return chunk;
    onTooLarge(tooLarge);
    conn.destroy();
    return null;
  };
}

/** Follows MQTT's fixed headers through a byte stream; exported for its own tests. */
export class PacketBoundaryScanner {
  /** Body bytes of the current packet not seen yet. */
  private bodyLeft = 0;
  /** Where in the fixed header the next byte falls: 0 = packet type, 1–4 = remaining length. */
  private headerPos = 0;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly maxPacketBytes: number) {}

  /** Returns the announced size of the first packet over the limit, or null when all are within it. */
  scan(chunk: Buffer): number | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerPos === 0) {
        this.headerPos = 1;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.headerPos++;
      if (byte & 0x80 && this.headerPos <= 4) continue;
      // A fifth length byte is malformed; mqtt-packet rejects it, so let it through to say so.
      const total = 1 + (this.headerPos - 1) + this.length;
      this.headerPos = 0;
      if (total > this.maxPacketBytes) return total;
      this.bodyLeft = this.length;
    }
    return null;
  }
}
