import { describe, expect, it } from 'vitest';
import { utcOffsetMinutes } from './time-zone.ts';

describe('utcOffsetMinutes', () => {
  it('reads the offset the zone has at that instant', () => {
    expect(utcOffsetMinutes('Asia/Kolkata', Date.parse('2026-06-01T00:00:00Z'))).toBe(330);
    expect(utcOffsetMinutes('Europe/Berlin', Date.parse('2026-01-15T12:00:00Z'))).toBe(60);
    expect(utcOffsetMinutes('Europe/Berlin', Date.parse('2026-07-15T12:00:00Z'))).toBe(120);
    expect(utcOffsetMinutes('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('UTC', Date.parse('2026-01-15T12:00:00Z'))).toBe(0);
  });
});
