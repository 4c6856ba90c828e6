import type { TicketEvidence } from '@aftercare/core';

/**
 * A predictive ticket's evidence as the pages show it: the service's record with the days left and
 * the drivers already put in words on the server.
 */
export type EvidenceView = Pick<TicketEvidence, 'pFail' | 'horizonDays' | 'modelVersion' | 'scoredAt'> & {
  daysLeft: string;
  drivers: string[];
};
