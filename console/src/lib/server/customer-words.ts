import {
  type Coverage,
  type DeviceModel,
  inSentence,
  partComponentLabel,
  type RenewalStatus,
  type TicketKind,
} from '@aftercare/core';
import type { HealthState } from '../fleet-health.ts';
import { formatDate } from '../format.ts';
import type { ChipTone } from '../ticket-status.ts';

/**
 * The customer's words for the service's codes: what a visit was, who paid, where a contract's
 * renewal stands and how the device is doing. A customer is not an engineer: no probabilities,
 * metric names or model versions here, only what it means for them.
 */

export const visitKindWords: Readonly<Record<TicketKind, string>> = {
  predictive: 'Preventive repair',
  corrective: 'Repair you asked for',
  amc_visit: 'Maintenance visit',
  installation: 'Installation',
};

/** The office's third person, as it writes down a customer's call: "Customer reports the … stopped". */
const officeVoice =
  /^(?:the\s+)?customer\s+(?:reports|reported|says|said|complains|complained)(?:\s+that)?\s+/i;

/**
 * What the customer reported, in their own voice. A report the office wrote down from a call opens
 * with "Customer reports" and ends with its own diagnosis in brackets, which the customer never said;
 * both go. Text the customer typed themselves is theirs and stays as it is.
 */
export function reportedWords(text: string): string {
  const said = text.trim();
  const heard = said.replace(officeVoice, '');
  if (heard === said) return said;
  const bare = heard.replace(/\s*\([^()]*\)[.]?$/, '').trim() || heard;
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/**
 * What a ticket is for, as the customer's pages name it: the device pages' kind of visit and the
 * device ("Preventive repair of your split air conditioner"), and a repair they asked for by what
 * was reported. The planners' titles name failure modes and contracts in the office's words.
 */
export function customerTicketTitle(
  ticket: { kind: TicketKind; title: string; failureMode?: string | null; description?: string },
  device: string | null,
): string {
  const your = device ? `your ${inSentence(device)}` : 'your device';
  switch (ticket.kind) {
    case 'corrective':
      // A call written up with the fault found is titled by the fault, in the office's words: the
      // report itself is in the description.
      return reportedWords(
        ticket.failureMode && ticket.description ? ticket.description.split(/\r?\n/)[0]! : ticket.title,
      );
    case 'predictive':
      return `Preventive repair of ${your}`;
    case 'amc_visit':
      return `Maintenance visit for ${your}`;
    default:
      return `Installation of ${your}`;
  }
}

/**
 * A fitted part by what it is ("Run capacitor"), found through the catalogue's failure modes that
 * the part fixes; the customer may not read the parts catalogue, and a SKU means nothing to them.
 */
export function partLabel(sku: string, model?: DeviceModel): string {
  return partComponentLabel(sku, model) ?? sku;
}

export interface PlanCover {
  name: string;
  coversLabour: boolean;
  coversParts: boolean;
}

export interface CoverageView {
  label: string;
  tone: ChipTone;
  detail: string;
}

/**
 * Who paid for a visit, as decided when it was opened, with the contract's terms when it was the AMC.
 * A fault cleared remotely with nobody ever on site and no part fitted (`work.remote`) cost nothing,
 * whatever the device's cover.
 */
export function coverageWords(
  coverage: Coverage,
  plan: PlanCover | null,
  work: { partsFitted: boolean; remote: boolean },
): CoverageView {
  if (work.remote)
    return {
      label: 'No charge',
      tone: 'healthy',
      detail: 'Fixed remotely: no visit and no parts.',
    };
  if (coverage === 'in_warranty')
    return {
      label: 'Free under warranty',
      tone: 'healthy',
      detail: "The manufacturer's warranty paid for parts and labour.",
    };
  if (coverage === 'chargeable')
    return {
      label: 'Chargeable',
      tone: 'neutral',
      detail: 'Not under warranty or a contract at the time.',
    };
  if (!plan || (plan.coversLabour && plan.coversParts))
    return {
      label: 'Covered by your maintenance contract',
      tone: 'healthy',
      detail: plan ? `${plan.name}: parts and labour.` : 'Your maintenance contract paid for it.',
    };
  if (plan.coversLabour)
    return {
      label: 'Labour covered',
      tone: 'info',
      detail: `${plan.name} paid the labour; ${work.partsFitted ? 'the parts were charged' : 'no parts were needed'}.`,
    };
  return {
    label: 'Parts covered',
    tone: 'info',
    detail: `${plan.name} paid the parts; the labour was charged.`,
  };
}

/**
 * Who pays for work still to come, said before the technician comes, so that a chargeable visit is
 * never a surprise. No price: the technician quotes for chargeable work before doing any.
 */
export function comingCoverageWords(coverage: Coverage, plan: PlanCover | null): CoverageView {
  if (coverage === 'in_warranty')
    return {
      label: 'Covered by your warranty',
      tone: 'healthy',
      detail: "The manufacturer's warranty pays for parts and labour.",
    };
  if (coverage === 'chargeable')
    return {
      label: 'Chargeable',
      tone: 'neutral',
      detail: 'Not covered by a warranty or contract; the technician quotes before any work.',
    };
  if (!plan || (plan.coversLabour && plan.coversParts))
    return {
      label: 'Covered by your maintenance contract',
      tone: 'healthy',
      detail: plan ? `${plan.name} pays for parts and labour.` : 'Your maintenance contract pays for it.',
    };
  if (plan.coversLabour)
    return {
      label: 'Labour covered by your maintenance contract',
      tone: 'info',
      detail: `${plan.name} pays the labour; parts are charged, and the technician quotes before fitting any.`,
    };
  return {
    label: 'Parts covered by your maintenance contract',
    tone: 'info',
    detail: `${plan.name} pays the parts; the labour is charged, and the technician quotes before any work.`,
  };
}

/** What a contract covers, as a list a customer can scan. */
export function coverList(plan: PlanCover): { what: string; covered: boolean }[] {
  return [
    { what: 'Labour on repairs', covered: plan.coversLabour },
    { what: 'Spare parts', covered: plan.coversParts },
  ];
}

/** "24 hours", "2 days": how soon a technician comes when something goes wrong. */
export function responseTime(hours: number): string {
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** Where the renewal of a contract ending at `endsAt` stands, in one line. */
export function renewalWords(status: RenewalStatus, endsAt: number, now: number): string {
  const ends = formatDate(endsAt);
  if (endsAt <= now) return status === 'renewed' ? `Ended ${ends}; it was renewed.` : `Ended ${ends}.`;
  switch (status) {
    case 'renewed':
      return `Renewed: the new term starts ${ends}.`;
    case 'offered':
      return `Offered to you: renew before ${ends} to stay covered.`;
    case 'due':
      return `Due ${ends}; we will send you an offer.`;
    case 'declined':
      return `Not renewing: your cover ends ${ends}.`;
    default:
      return `${ends}; we will contact you before then.`;
  }
}

export interface HealthWords {
  headline: string;
  sentence: string;
  tone: ChipTone;
}

/**
 * How the device is doing, in a headline and one sentence: the service's health state, and the part
 * the monitoring worries about, if any (its label, never its probability).
 */
export function healthWords(
  state: HealthState,
  device: string,
  concern: string | null,
  lastHeard: string,
  /** A repair of it is open (reported or predicted): "working well" above it would contradict it. */
  openRepair = false,
): HealthWords {
  const your = `Your ${inSentence(device)}`;
  if (openRepair && state === 'healthy')
    return {
      headline: 'Being seen to',
      sentence: `${your} has a repair open: its visit is below. Its readings look normal right now, and we keep watching them.`,
      tone: 'info',
    };
  const part = concern ? `the ${inSentence(concern)}` : 'one of its parts';
  switch (state) {
    case 'failed':
      return {
        headline: 'Needs repair',
        sentence: `${your} is likely to have a fault in ${part}. We arrange the repair; if it has not been booked yet, you can also report it below.`,
        tone: 'failed',
      };
    case 'at_risk':
      return {
        headline: 'Needs attention soon',
        sentence: `Our monitoring has spotted early signs of wear in ${part}. We send a technician to fix it before it stops working.`,
        tone: 'at_risk',
      };
    case 'offline':
      return {
        headline: 'Not connected',
        sentence: `We last heard from ${inSentence(your)} ${lastHeard}. Please check that it is switched on and connected to the internet; we cannot watch over it while it is offline.`,
        tone: 'offline',
      };
    default:
      return {
        headline: 'Working well',
        sentence: `${your} is working normally. We watch its readings around the clock and book a technician ourselves if we see signs of trouble.`,
        tone: 'healthy',
      };
  }
}
