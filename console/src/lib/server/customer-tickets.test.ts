import type { ContractVisit, ListedTicket } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import type { ContractBook } from './customer-contracts.ts';
import { customerTickets } from './customer-tickets.ts';
import { capacitorRepair } from './ticket-fixtures.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.UTC(2026, 10, 29, 12);
const devices = new Map([
  ['ac-1', 'Split air conditioner'],
  ['rf-1', 'Refrigerator'],
]);

function listed(overrides: Partial<ListedTicket>): ListedTicket {
  return {
    ...capacitorRepair,
    status: 'scheduled',
    version: 2,
    appointment: { start: now + day, end: now + day + hour },
    slaDueAt: now + 2 * day,
    createdAt: now - day,
    updatedAt: now - day,
    resolvedAt: null,
    closedAt: null,
    ...overrides,
  };
}

const book: ContractBook = {
  contracts: [
    {
      id: 'amc-1',
      customerId: 'cust-1',
      planId: 'plan-premium',
      deviceIds: ['ac-1'],
      startsAt: now - 100 * day,
      endsAt: now + 265 * day,
      renewalStatus: 'not_due',
      renewsContractId: null,
      createdAt: 0,
      updatedAt: 0,
    },
  ],
  plans: new Map([
    [
      'plan-premium',
      {
        id: 'plan-premium',
        name: 'Premium care',
        model: null,
        visitsPerYear: 4,
        slaResponseHours: 8,
        coversLabour: true,
        coversParts: true,
        priceCents: 499_900,
        createdAt: 0,
      },
    ],
  ]),
};

const views = (tickets: ListedTicket[], visits: ContractVisit[] = []) =>
  customerTickets({ tickets, ratings: new Map(), visits }, { now, book, devices });

describe('customerTickets', () => {
  it("names a predictive repair as the device pages do, not by the planners' title or kind", () => {
    const [open] = views([listed({})]).open;
    expect(open).toMatchObject({
      title: 'Preventive repair of your split air conditioner',
      kind: 'Preventive repair',
    });
    expect(JSON.stringify(open)).not.toMatch(/Predictive|degradation/);
  });

  it('asks for a rating of a visit by its name and the day the technician came, not the day it closed', () => {
    // Booked for the 14th, done early on the 13th, closed on the 16th once the readings confirmed it.
    const fixedAt = Date.UTC(2026, 10, 13, 10, 30);
    const closed = listed({
      status: 'closed',
      appointment: { start: Date.UTC(2026, 10, 14, 9, 30), end: Date.UTC(2026, 10, 14, 10, 30) },
      resolvedAt: fixedAt,
      closedAt: Date.UTC(2026, 10, 16, 10),
    });
    const [toRate] = views([closed]).toRate;
    expect(toRate).toMatchObject({
      title: 'Preventive repair of your split air conditioner',
      visitedAt: fixedAt,
    });
    // What the work costs is said before it is done; a past visit says who paid, with its parts.
    expect(toRate?.coverage).toBeNull();
  });

  it('says who pays for each open ticket and booked visit, and that chargeable work is quoted first', () => {
    // No contract and the warranty ended: the service opened it chargeable.
    const chargeable = listed({ id: 't-2', deviceId: 'rf-1', coverage: 'chargeable', contractId: null });
    const { open, upcoming } = views([chargeable, listed({})]);
    expect(open.find((t) => t.id === 't-2')?.coverage).toEqual({
      label: 'Chargeable',
      tone: 'neutral',
      detail: 'Not covered by a warranty or contract; the technician quotes before any work.',
    });
    expect(open.find((t) => t.id === 't-1')?.coverage).toMatchObject({
      label: 'Covered by your maintenance contract',
      detail: 'Premium care pays for parts and labour.',
    });
    expect(upcoming.find((v) => v.key === 't-2')).toMatchObject({
      what: 'Preventive repair of your refrigerator',
      who: 'Kavya Iyer',
      coverage: { label: 'Chargeable' },
    });
  });

  it("keeps a problem the customer typed in their words, and gives the office's note of a call in theirs", () => {
    const typed = listed({
      id: 't-3',
      kind: 'corrective',
      title: 'It makes a loud rattling noise when it starts',
      description: 'It makes a loud rattling noise when it starts. Since Tuesday.',
      failureMode: null,
    });
    // As the office writes a call up with the fault found: titled by the fault, the report described.
    const noted = listed({
      id: 't-4',
      kind: 'corrective',
      title: 'Door gasket leak — Refrigerator',
      description: 'Customer reports the refrigerator stopped working (door gasket leak)',
      failureMode: 'door_gasket_leak',
      deviceId: 'rf-1',
    });
    expect(views([typed, noted]).open.map((t) => [t.title, t.kind])).toEqual([
      ['It makes a loud rattling noise when it starts', 'Repair you asked for'],
      ['The refrigerator stopped working', 'Repair you asked for'],
    ]);
  });

  it('lists a maintenance visit due under the contract with the device it is for and its cover', () => {
    const due: ContractVisit = {
      id: 'v-1',
      contractId: 'amc-1',
      deviceId: 'ac-1',
      dueFrom: now + 10 * day,
      dueTo: now + 40 * day,
      status: 'planned',
      ticketId: null,
      createdAt: 0,
    };
    expect(views([], [due]).upcoming).toEqual([
      expect.objectContaining({
        what: 'Maintenance visit for your split air conditioner',
        booked: false,
        coverage: expect.objectContaining({ label: 'Covered by your maintenance contract' }),
      }),
    ]);
  });
});
