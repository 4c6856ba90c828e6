import { PART_RETURN_DAYS, type PartReturnDue } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { dueOffset, dueRow, outstandingFor } from './parts-returns.ts';

const day = 86_400_000;
const fitting: PartReturnDue = {
  partUsedId: 'pu-1',
  ticketId: 't-1',
  ticketTitle: 'Hums, will not start',
  deviceId: 'sim-ac-00001',
  deviceModel: 'split-ac',
  customerName: 'Lakshmi Iyer',
  technicianName: 'Ravi Kumar',
  partnerName: 'CoolFix Adyar',
  sku: 'AC-CAP',
  partName: 'Run capacitor',
  quantity: 1,
  removedSerial: 'RM-1',
  fittedAt: Date.UTC(2026, 0, 1),
};

describe('dueRow', () => {
  it('says how long the part has been due, in whole days, and whether that is late', () => {
    const at = (days: number) => dueRow(fitting, fitting.fittedAt + days * day);
    expect(at(0.5)).toMatchObject({
      daysOut: 0,
      dueFor: 'under a day',
      late: false,
      modelLabel: 'Split air conditioner',
    });
    expect(at(1)).toMatchObject({ daysOut: 1, dueFor: '1 day', late: false });
    expect(at(PART_RETURN_DAYS - 0.01)).toMatchObject({ late: false });
    expect(at(PART_RETURN_DAYS)).toMatchObject({ dueFor: `${PART_RETURN_DAYS} days`, late: true });
  });
});

describe('dueOffset', () => {
  it('reads ?due= as the start of a page, and anything else as the first page', () => {
    expect(dueOffset(null)).toBe(0);
    expect(dueOffset('25')).toBe(25);
    expect(dueOffset('30')).toBe(25);
    expect(dueOffset('-5')).toBe(0);
    expect(dueOffset('lots')).toBe(0);
  });
});

describe('outstandingFor', () => {
  it('counts days', () => {
    expect([0, 1, 2, 40].map(outstandingFor)).toEqual(['under a day', '1 day', '2 days', '40 days']);
  });
});
