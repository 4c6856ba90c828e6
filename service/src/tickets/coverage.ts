import type { Coverage, TicketKind, TicketPriority } from '@aftercare/core';

/** The AMC contract in force for a device, as coverage needs to know it. */
export interface ActiveContract {
  id: string;
  slaResponseHours: number;
  coversLabour: boolean;
  coversParts: boolean;
}

export interface CoverageInput {
  now: number;
  /** An AMC visit is the contract's routine service; omitted, the ticket is a repair. */
  kind?: TicketKind | undefined;
  /** Epoch ms; null when the install date is unknown. */
  installedAt: number | null;
  warrantyEndsAt: number | null;
  contract: ActiveContract | null;
}

export interface CoverageDecision {
  coverage: Coverage;
  /** The contract whose SLA applies (recorded even when the warranty pays). */
  contractId: string | null;
}

/**
 * Who pays for a ticket, decided once when it opens: the manufacturer while the device is in its
 * warranty term, else an AMC contract in force that covers labour or parts, else the customer. An AMC
 * visit is the contract's own: a warranty pays for defects, not for the routine service a customer
 * bought, and a warranty claim for it would bill the manufacturer for work it never owed.
 */
export function decideCoverage(input: CoverageInput): CoverageDecision {
  const contractId = input.contract?.id ?? null;
  if (input.kind === 'amc_visit' && input.contract !== null) return { coverage: 'amc', contractId };
  const installed = input.installedAt === null || input.installedAt <= input.now;
  if (input.warrantyEndsAt !== null && installed && input.now <= input.warrantyEndsAt) {
    return { coverage: 'in_warranty', contractId };
  }
  if (input.contract !== null && (input.contract.coversLabour || input.contract.coversParts)) {
    return { coverage: 'amc', contractId };
  }
  return { coverage: 'chargeable', contractId };
}

/** Response time by priority when no contract sets one. */
export const defaultSlaHours: Record<TicketPriority, number> = {
  urgent: 24,
  high: 48,
  normal: 72,
  low: 120,
};

/** When a technician must be on site: the contract's SLA if one is in force, else the priority's default. */
export function slaDueAt(now: number, priority: TicketPriority, contract: ActiveContract | null): number {
  const hours = contract
    ? Math.min(contract.slaResponseHours, defaultSlaHours[priority])
    : defaultSlaHours[priority];
  return now + hours * 3_600_000;
}
