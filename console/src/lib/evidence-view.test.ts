import type { Risk, TicketEvidence } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { failureExpected, toEvidenceView } from './evidence-view.ts';

const HOUR_MS = 3_600_000;
const openedAt = Date.UTC(2026, 10, 28, 4, 8);

function evidence(overrides: Partial<TicketEvidence> = {}): TicketEvidence {
  return {
    pFail: 0.996,
    daysLeft: 7.6,
    horizonDays: 14,
    modelVersion: 'v1',
    scoredAt: openedAt - 2_000,
    dataUntil: openedAt - 60_000,
    drivers: [
      {
        metric: 'cabinet_temp_c',
        label: 'Cabinet temperature',
        unit: '°C',
        change: -1.8,
        overDays: 8,
        direction: 'down',
        weight: 0.5,
        text: 'Cabinet temperature −1.8 °C over 8 days (3.9 → 2.1 °C)',
      },
    ],
    ...overrides,
  };
}

function risk(overrides: Partial<Risk> = {}): Risk {
  return {
    deviceId: 'sim-rf-00030',
    model: 'refrigerator',
    component: 'control_board_sensor',
    failureMode: 'sensor_drift',
    pFail: 0.99,
    daysLeft: 8.6,
    horizonDays: 14,
    modelVersion: 'v1',
    scoredAt: openedAt + 3 * HOUR_MS,
    dataUntil: openedAt + 3 * HOUR_MS,
    drivers: [],
    ...overrides,
  };
}

describe('toEvidenceView', () => {
  it('says the evidence is the score the ticket was opened on', () => {
    const view = toEvidenceView(evidence(), openedAt, null);
    expect(view).toMatchObject({ scoredWhen: 'at opening', daysLeft: '8 days', current: null });
    expect(view.drivers).toEqual(['Cabinet temperature −1.8 °C over 8 days (3.9 → 2.1 °C)']);
  });

  it('says when a later score changed the ticket', () => {
    const view = toEvidenceView(evidence({ scoredAt: openedAt + 2 * HOUR_MS }), openedAt, null);
    expect(view.scoredWhen).toBe('at its last update');
  });

  it("shows the component's newer score beside the one the ticket was opened on", () => {
    const view = toEvidenceView(evidence(), openedAt, risk());
    expect(view.pFail).toBe(0.996);
    expect(view.current).toEqual({
      pFail: 0.99,
      daysLeft: '9 days',
      horizonDays: 14,
      modelVersion: 'v1',
      scoredAt: openedAt + 3 * HOUR_MS,
    });
  });

  it('leaves out a latest score that is not newer than the evidence', () => {
    expect(toEvidenceView(evidence(), openedAt, risk({ scoredAt: openedAt - HOUR_MS })).current).toBeNull();
  });
});

describe('failureExpected', () => {
  it('puts every days-left text in a sentence', () => {
    expect(failureExpected('9 days')).toBe('failure expected in 9 days');
    expect(failureExpected('under a day')).toBe('failure expected in under a day');
    expect(failureExpected('within 14 days')).toBe('failure expected within 14 days');
    expect(failureExpected('> 14 days')).toBe('no failure expected within 14 days');
  });
});
