import {
  type AmcPlan,
  amcPlanSchema,
  type Contract,
  type ContractVisit,
  contractSchema,
  contractVisitSchema,
  pageSchema,
} from '@aftercare/core';
import { z } from 'zod';
import { formatDate } from '../format.ts';
import type { ApiClient } from './api.ts';
import { coverList, type PlanCover, renewalWords, responseTime } from './customer-words.ts';

/**
 * The customer's AMC contracts as they read them: the plan (visits a year, response time, what it
 * covers), the term and its renewal, and the maintenance visits used and still to come. The API
 * lists only the signed-in customer's contracts and visits.
 */

const contractPageSchema = pageSchema(contractSchema);
const visitPageSchema = pageSchema(contractVisitSchema);
const planListSchema = z.object({ items: z.array(amcPlanSchema) });

const yearMs = 365.25 * 86_400_000;

export interface NextVisit {
  deviceId: string;
  /** The ticket that carries the visit out, once one is open. */
  ticketId: string | null;
  /** The window the visit is due in. */
  from: number;
  to: number;
  /** The technician's booked time, once the visit has one. */
  appointment: { start: number; end: number } | null;
}

export interface CustomerContract {
  id: string;
  planName: string;
  visitsPerYear: number;
  /** "24 hours": how soon a technician is on site for a problem. */
  responseTime: string;
  cover: { what: string; covered: boolean }[];
  startsAt: number;
  endsAt: number;
  state: 'active' | 'starts_later' | 'ended';
  renewal: string;
  deviceIds: string[];
  visits: {
    /** Maintenance visits the term entitles the devices shown to. */
    entitled: number;
    done: number;
    missed: number;
    next: NextVisit | null;
    /** Why no visit is next, in the customer's words; null when one is. */
    noNext: string | null;
  };
}

/** Every contract of the customer and the plans they are on; null when the service has no contracts. */
export interface ContractBook {
  contracts: Contract[];
  plans: Map<string, AmcPlan>;
}

export async function loadContractBook(api: ApiClient): Promise<ContractBook | null> {
  const [contracts, plans] = await Promise.all([
    api.getIfAvailable('/api/contracts', contractPageSchema, { limit: 500 }),
    api.getIfAvailable('/api/contract-plans', planListSchema),
  ]);
  if (contracts === null || plans === null) return null;
  return { contracts: contracts.items, plans: new Map(plans.items.map((p) => [p.id, p])) };
}

/** The plan terms a ticket's contract gave, for saying who paid for a visit. */
export function planOfContract(book: ContractBook | null, contractId: string | null): PlanCover | null {
  if (!book || !contractId) return null;
  const contract = book.contracts.find((c) => c.id === contractId);
  return (contract && book.plans.get(contract.planId)) ?? null;
}

/**
 * The contracts worth showing: those in force or starting later (a renewal), soonest first; when
 * none is, the one that ended last, so the customer learns that their cover ended.
 */
export function contractsToShow(contracts: readonly Contract[], now: number, deviceId?: string): Contract[] {
  const mine = deviceId ? contracts.filter((c) => c.deviceIds.includes(deviceId)) : [...contracts];
  const current = mine.filter((c) => c.endsAt > now).sort((a, b) => a.startsAt - b.startsAt);
  if (current.length > 0) return current;
  return mine.sort((a, b) => b.endsAt - a.endsAt).slice(0, 1);
}

/** Visits used and the next one, from the contract's planned visits (of one device, when given). */
export function visitSummary(
  contract: Contract,
  plan: AmcPlan,
  visits: readonly ContractVisit[],
  appointments: ReadonlyMap<string, { start: number; end: number } | null>,
  now: number,
  deviceId?: string,
): CustomerContract['visits'] {
  const own = visits.filter((v) => v.contractId === contract.id && (!deviceId || v.deviceId === deviceId));
  const counted = own.filter((v) => v.status !== 'cancelled');
  // The scheduler plans visits some months ahead, so the term may owe more than are planned yet.
  const devices = deviceId ? 1 : contract.deviceIds.length;
  const owed = Math.round((plan.visitsPerYear * (contract.endsAt - contract.startsAt)) / yearMs) * devices;
  const entitled = Math.max(counted.length, owed);
  // The next visit in time: a booked one at its appointment, one still to book from its window's start
  // (or now, once that has passed). Two visits of one window differ by their appointments only.
  const comesAt = (v: ContractVisit) =>
    (v.ticketId ? appointments.get(v.ticketId)?.start : undefined) ?? Math.max(v.dueFrom, now);
  const next = own
    .filter((v) => (v.status === 'planned' || v.status === 'scheduled') && v.dueTo >= now)
    .sort((a, b) => comesAt(a) - comesAt(b))[0];
  const done = own.filter((v) => v.status === 'done').length;
  const missed = own.filter((v) => v.status === 'missed').length;
  return {
    entitled,
    done,
    missed,
    noNext: next ? null : noNextWords(contract, entitled - done - missed, now),
    next: next
      ? {
          deviceId: next.deviceId,
          ticketId: next.ticketId,
          from: next.dueFrom,
          to: next.dueTo,
          appointment: (next.ticketId && appointments.get(next.ticketId)) || null,
        }
      : null,
  };
}

/**
 * Why no visit is next. A renewal whose term has not started, or a term whose visits the scheduler
 * has not written yet, owes visits that are simply not planned: "none left" would tell the customer
 * they paid for nothing. Only a term whose entitled visits are all done or missed has none left.
 */
function noNextWords(contract: Contract, left: number, now: number): string {
  if (contract.startsAt > now)
    return `Visits are planned when the term starts on ${formatDate(contract.startsAt)}`;
  if (left > 0) return 'Not planned yet';
  return 'None left in this term';
}

/**
 * The customer's contracts to show (of one device, when given), with their plan and visits.
 * `appointments` maps the customer's open tickets to their booked times: a visit carried out by a
 * ticket is booked when its ticket is.
 */
export async function loadCustomerContracts(
  api: ApiClient,
  book: ContractBook,
  options: {
    now: number;
    appointments: ReadonlyMap<string, { start: number; end: number } | null>;
    deviceId?: string;
  },
): Promise<CustomerContract[]> {
  const { now, appointments, deviceId } = options;
  const shown = contractsToShow(book.contracts, now, deviceId).filter((c) => book.plans.has(c.planId));
  const visits = await Promise.all(
    shown.map((c) =>
      api
        .getIfAvailable('/api/contract-visits', visitPageSchema, { contractId: c.id, deviceId, limit: 500 })
        .then((page) => page?.items ?? []),
    ),
  );
  return shown.map((contract, i) => {
    const plan = book.plans.get(contract.planId)!;
    return {
      id: contract.id,
      planName: plan.name,
      visitsPerYear: plan.visitsPerYear,
      responseTime: responseTime(plan.slaResponseHours),
      cover: coverList(plan),
      startsAt: contract.startsAt,
      endsAt: contract.endsAt,
      state: contract.startsAt > now ? 'starts_later' : contract.endsAt <= now ? 'ended' : 'active',
      renewal: renewalWords(contract.renewalStatus, contract.endsAt, now),
      deviceIds: deviceId ? [deviceId] : contract.deviceIds,
      visits: visitSummary(contract, plan, visits[i] ?? [], appointments, now, deviceId),
    };
  });
}
