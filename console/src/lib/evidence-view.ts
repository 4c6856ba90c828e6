import type { Risk, TicketEvidence } from '@aftercare/core';
import { formatDaysLeft } from './format.ts';

/** A score the ticket's pages print: probability, days left in words, when and by which version. */
export interface ScoreView {
  pFail: number;
  daysLeft: string;
  horizonDays: number;
  modelVersion: string;
  scoredAt: number;
}

/**
 * A predictive ticket's evidence as the pages show it: the service's record with the days left and
 * the drivers already put in words on the server, when it was scored (the ticket keeps the score it
 * was opened on, or last changed by), and the component's latest score when there is a newer one,
 * so a page never passes an old number off as the current one.
 */
export type EvidenceView = ScoreView & {
  drivers: string[];
  /** "at opening", or "at its last update" for a score that changed the ticket later. */
  scoredWhen: string;
  /** The component's latest score, when newer than the evidence; null when there is none. */
  current: ScoreView | null;
};

/** A score taken this soon before the ticket was opened is the one it was opened on. */
const openingSlackMs = 10 * 60_000;

export function toEvidenceView(
  evidence: TicketEvidence,
  openedAt: number,
  latest: Risk | null,
): EvidenceView {
  return {
    pFail: evidence.pFail,
    daysLeft: formatDaysLeft(evidence.daysLeft, evidence.horizonDays, evidence.pFail),
    horizonDays: evidence.horizonDays,
    modelVersion: evidence.modelVersion,
    scoredAt: evidence.scoredAt,
    drivers: evidence.drivers.map((d) => d.text),
    scoredWhen: evidence.scoredAt <= openedAt + openingSlackMs ? 'at opening' : 'at its last update',
    current:
      latest && latest.scoredAt > evidence.scoredAt
        ? {
            pFail: latest.pFail,
            daysLeft: formatDaysLeft(latest.daysLeft, latest.horizonDays, latest.pFail),
            horizonDays: latest.horizonDays,
            modelVersion: latest.modelVersion,
            scoredAt: latest.scoredAt,
          }
        : null,
  };
}

/** A days-left text (formatDaysLeft's) in a sentence: "failure expected in 9 days", "… within 14 days". */
export function failureExpected(daysLeft: string): string {
  if (/^(\d|under)/.test(daysLeft)) return `failure expected in ${daysLeft}`;
  if (daysLeft.startsWith('within')) return `failure expected ${daysLeft}`;
  if (daysLeft.startsWith('>')) return `no failure expected within ${daysLeft.slice(1).trim()}`;
  return daysLeft;
}
