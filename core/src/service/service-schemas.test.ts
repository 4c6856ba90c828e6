import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listRisksQuerySchema } from '../risk-api.schema.ts';
import { createUserBodySchema } from './auth.schema.ts';
import {
  decimalParamSchema,
  epochMsParamSchema,
  integerParamSchema,
  pageQueryShape,
} from './common.schema.ts';
import { workingHoursSchema } from './partner.schema.ts';
import { recordPartUsedBodySchema } from './parts.schema.ts';
import { listTicketsQuerySchema } from './ticket.schema.ts';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('service schemas', () => {
  it('reads a comma-separated status filter and refuses an unknown status by its position', () => {
    expect(listTicketsQuerySchema.parse({ status: 'open,scheduled' }).status).toEqual(['open', 'scheduled']);
    expect(paths(listTicketsQuerySchema.safeParse({ status: 'open,gone' }))).toEqual(['status.1']);
  });

  it('takes instants in a query as epoch milliseconds or ISO 8601', () => {
    expect(epochMsParamSchema.parse('1764130000000')).toBe(1764130000000);
    expect(epochMsParamSchema.parse('2025-11-26T04:26:40Z')).toBe(1764131200000);
    expect(epochMsParamSchema.safeParse('next tuesday').success).toBe(false);
  });

  it('wants working hours that end after they start, in a real time zone', () => {
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timezone: 'Asia/Kolkata' };
    expect(workingHoursSchema.safeParse(hours).success).toBe(true);
    expect(paths(workingHoursSchema.safeParse({ ...hours, end: '08:00' }))).toEqual(['end']);
    expect(paths(workingHoursSchema.safeParse({ ...hours, timezone: 'Mars/Olympus' }))).toEqual(['timezone']);
  });

  it('ties customer accounts to a customer and technician accounts to a technician, and nothing else', () => {
    const base = { email: 'A@Example.com', password: 'a long password' };
    expect(createUserBodySchema.parse({ ...base, role: 'planner' }).email).toBe('a@example.com');
    expect(paths(createUserBodySchema.safeParse({ ...base, role: 'customer' }))).toEqual(['customerId']);
    expect(paths(createUserBodySchema.safeParse({ ...base, role: 'planner', technicianId: 't1' }))).toEqual([
      'technicianId',
    ]);
    expect(createUserBodySchema.safeParse({ ...base, role: 'technician', technicianId: 't1' }).success).toBe(
      true,
    );
  });

  it('records a part used from a reservation or from a location, not a mix', () => {
    expect(recordPartUsedBodySchema.safeParse({ reservationId: 'r1' }).success).toBe(true);
    expect(recordPartUsedBodySchema.safeParse({ sku: 'AC-CAP', locationId: 'van-1' }).success).toBe(true);
    expect(paths(recordPartUsedBodySchema.safeParse({ sku: 'AC-CAP' }))).toEqual(['locationId']);
    expect(paths(recordPartUsedBodySchema.safeParse({ reservationId: 'r1', quantity: 2 }))).toEqual([
      'quantity',
    ]);
  });

  it('reads a number in a query only as decimal digits, and says what it wants otherwise', () => {
    const limit = integerParamSchema(1, 500).prefault(50);
    expect([undefined, '1', '50', '500', '007'].map((v) => limit.parse(v))).toEqual([50, 1, 50, 500, 7]);
    for (const text of ['', ' 5', '5 ', '0x10', '1e3', '1.0', '1.5', '+5', '0', '501', 'abc'])
      expect(
        limit.safeParse(text).error?.issues.map((i) => i.message),
        JSON.stringify(text),
      ).toEqual(['must be a whole number between 1 and 500']);
    expect(integerParamSchema(0).safeParse('-1').error?.issues[0]?.message).toBe(
      'must be a whole number, 0 or more',
    );

    const p = decimalParamSchema(0, 1);
    expect(['0', '1', '0.5', '.75', '0.125'].map((v) => p.parse(v))).toEqual([0, 1, 0.5, 0.75, 0.125]);
    for (const text of ['', ' 0.5', '0x10', '1e-1', '0.5.1', '1.5', '-0.1', 'NaN', 'Infinity'])
      expect(
        p.safeParse(text).error?.issues.map((i) => i.message),
        JSON.stringify(text),
      ).toEqual(['must be a decimal number between 0 and 1']);
  });

  it('keeps the page and risk filters as they were for what a client sends right', () => {
    const page = z.strictObject(pageQueryShape);
    expect(page.parse({})).toEqual({ limit: 50, offset: 0 });
    expect(page.parse({ limit: '20', offset: '40' })).toEqual({ limit: 20, offset: 40 });
    expect(listRisksQuerySchema.parse({ minP: '0.6', limit: '2' })).toMatchObject({ minP: 0.6, limit: 2 });
    expect(paths(listRisksQuerySchema.safeParse({ minP: '0x10' }))).toEqual(['minP']);
    expect(paths(listRisksQuerySchema.safeParse({ minP: '' }))).toEqual(['minP']);
  });

  it('tells a caller that a component filter wants a component name, not a metric name', () => {
    expect(listRisksQuerySchema.safeParse({ component: 'Compressor' }).error?.issues[0]?.message).toMatch(
      /^component names are snake_case, e\.g\. compressor/,
    );
    expect(listRisksQuerySchema.parse({ component: 'fan_motor' }).component).toBe('fan_motor');
  });
});
