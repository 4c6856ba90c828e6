import { describe, expect, it } from 'vitest';
import { createUserBodySchema } from './auth.schema.ts';
import { epochMsParamSchema } from './common.schema.ts';
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
});
