import { describe, expect, it } from 'vitest';
import { parseDeviceEvent } from './event.schema.ts';

const now = Date.UTC(2026, 10, 26, 12);

describe('parseDeviceEvent', () => {
  it('accepts a failure event as the simulator publishes it', () => {
    const result = parseDeviceEvent(
      JSON.stringify({
        ts: now - 1000,
        type: 'failure',
        code: 'compressor_wear',
        component: 'compressor',
        failureMode: 'compressor_wear',
      }),
      now,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { ts: now - 1000, type: 'failure', code: 'compressor_wear' },
    });
  });

  it.each([
    ['bad json', '{', 'invalid_json'],
    ['an unknown type', JSON.stringify({ ts: now, type: 'party', code: 'x' }), 'invalid_schema'],
    ['a code with spaces', JSON.stringify({ ts: now, type: 'error', code: 'E 1' }), 'invalid_schema'],
    [
      'a far-future time',
      JSON.stringify({ ts: now + 3_600_000, type: 'error', code: 'E1' }),
      'future_timestamp',
    ],
    [
      'a time no Date can hold (regression: it threw)',
      JSON.stringify({ ts: 9e15, type: 'error', code: 'E1' }),
      'future_timestamp',
    ],
  ])('rejects %s with a reason and never throws', (_name, payload, reason) => {
    expect(parseDeviceEvent(payload, now)).toMatchObject({ ok: false, reason });
  });
});
