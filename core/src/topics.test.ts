import { describe, expect, it } from 'vitest';
import { parseTopic, topics } from './topics.ts';

describe('parseTopic', () => {
  it('reads device id and kind from the contract topics', () => {
    expect(parseTopic(topics.telemetry('ac-0001'))).toEqual({ deviceId: 'ac-0001', kind: 'telemetry' });
    expect(parseTopic('aftercare/fr_2/status')).toEqual({ deviceId: 'fr_2', kind: 'status' });
  });

  it.each([
    'aftercare/+/telemetry',
    'aftercare/a/b/telemetry',
    'other/a/telemetry',
    'aftercare/a/unknown',
    'aftercare//telemetry',
  ])('returns null for %s', (topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});
