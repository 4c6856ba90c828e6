import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { limitPacketSize, PacketBoundaryScanner } from './packet-size-guard.ts';

/** A QoS 0 PUBLISH, encoded by hand so the test does not lean on the parser it guards. */
function publish(payloadBytes: number): Buffer {
  const topic = Buffer.from('aftercare/ac-0001/telemetry');
  let remaining = 2 + topic.length + payloadBytes;
  const length: number[] = [];
  do {
    let byte = remaining % 128;
    remaining = Math.floor(remaining / 128);
    if (remaining > 0) byte |= 0x80;
    length.push(byte);
  } while (remaining > 0);
  const topicLength = Buffer.alloc(2);
  topicLength.writeUInt16BE(topic.length);
  return Buffer.concat([Buffer.from([0x30, ...length]), topicLength, topic, Buffer.alloc(payloadBytes)]);
}

describe('PacketBoundaryScanner', () => {
  it('lets packets within the limit through, however the stream is cut into chunks', () => {
    const stream = Buffer.concat([publish(10), publish(200), publish(20_000), publish(0)]);
    for (const chunkSize of [1, 2, 3, 7, 64, 4096, stream.length]) {
      const scanner = new PacketBoundaryScanner(32 * 1024);
      for (let i = 0; i < stream.length; i += chunkSize) {
        expect(scanner.scan(stream.subarray(i, i + chunkSize))).toBeNull();
      }
    }
  });

  it('reports an oversized packet from its header, before its body has arrived', () => {
    const big = publish(600 * 1024);
    const scanner = new PacketBoundaryScanner(512 * 1024);
    expect(scanner.scan(publish(5))).toBeNull();
    expect(scanner.scan(big.subarray(0, 2))).toBeNull();
    expect(scanner.scan(big.subarray(2, 5))).toBe(big.length);
  });
});

describe('limitPacketSize', () => {
  it('cuts the connection instead of handing an oversized packet to the reader', () => {
    const conn = new PassThrough();
    const seen: number[] = [];
    limitPacketSize(conn, 1024, (bytes) => seen.push(bytes));
    conn.write(publish(10));
    expect(conn.read()).toEqual(publish(10));
    conn.write(publish(4000));
    expect(conn.read()).toBeNull();
    expect(seen).toEqual([publish(4000).length]);
    expect(conn.destroyed).toBe(true);
  });
});
