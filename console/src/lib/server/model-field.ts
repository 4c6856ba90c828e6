import { formatDate } from '../format.ts';

/** The active version of a device model, as GET /api/models lists it. */
export interface ActiveVersion {
  version: string;
  /** ISO time the version was trained (and saved). */
  createdAt: string;
}

/**
 * What the Models page's field results cover, in words. The outcomes of a period count every
 * predictive ticket opened in it, whichever model made the prediction (earlier versions, or history
 * imported before any model ran), so a period that began before the active version was trained says
 * so, and the active version's own record is the period since it was trained.
 */
export function fieldPeriods(active: ActiveVersion | null, periodFrom: number) {
  const trainedAt = active ? Date.parse(active.createdAt) : Number.NaN;
  const knownSince = active !== null && Number.isFinite(trainedAt);
  return {
    /** Start of the active version's own record; null without an active version. */
    sinceFrom: knownSince ? trainedAt : null,
    sinceHeading: knownSince ? `Since ${active.version} was trained` : null,
    recentHeading: 'Last three months in the field, all versions',
    recentNote:
      knownSince && trainedAt > periodFrom
        ? `Includes predictions made before ${active.version} existed (trained ${formatDate(trainedAt)}), by earlier versions or imported history.`
        : null,
  };
}
