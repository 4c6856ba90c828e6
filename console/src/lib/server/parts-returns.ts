import {
  PART_RETURN_DAYS,
  type PartReturnDue,
  type PartReturnReceived,
  pageSchema,
  partReturnDueSchema,
  partReturnReceivedSchema,
} from '@aftercare/core';
import type { ApiClient } from './api.ts';
import { modelLabel } from './catalog-view.ts';

/**
 * The defective parts the manufacturer wants back, as the parts page shows them: the fittings
 * still owed a returned unit (the longest waiting first, a page at a time), how many of them are
 * late, and the units received lately.
 */

const day = 86_400_000;

/** Rows of the due list per page. */
export const duePageSize = 25;

/** Returns received shown under the due list. */
const receivedShown = 8;

export interface DueRow extends PartReturnDue {
  modelLabel: string;
  daysOut: number;
  /** `daysOut` in words: "under a day", "23 days". */
  dueFor: string;
  late: boolean;
}

export interface ReceivedRow extends PartReturnReceived {
  modelLabel: string;
}

export interface PartReturnsView {
  due: { rows: DueRow[]; total: number; offset: number; late: number };
  received: ReceivedRow[];
}

/** "under a day", "1 day", "23 days": how long a part has been due back. */
export function outstandingFor(daysOut: number): string {
  if (daysOut < 1) return 'under a day';
  return `${daysOut} ${daysOut === 1 ? 'day' : 'days'}`;
}

export function dueRow(item: PartReturnDue, now: number): DueRow {
  const daysOut = Math.max(0, Math.floor((now - item.fittedAt) / day));
  return {
    ...item,
    modelLabel: modelLabel(item.deviceModel),
    daysOut,
    dueFor: outstandingFor(daysOut),
    late: daysOut >= PART_RETURN_DAYS,
  };
}

/** `?due=` of the page: the first row of the due list shown, a multiple of the page size. */
export function dueOffset(param: string | null): number {
  const n = Number(param);
  return Number.isInteger(n) && n > 0 ? n - (n % duePageSize) : 0;
}

/**
 * The due list from `offset`, the late count and the latest returns; null when the service has
 * no such reads yet (an older service), so the page can say so instead of failing.
 */
export async function loadPartReturns(
  api: ApiClient,
  offset: number,
  now = Date.now(),
): Promise<PartReturnsView | null> {
  const duePage = pageSchema(partReturnDueSchema);
  const [due, late, received] = await Promise.all([
    api.getIfAvailable('/api/part-returns/outstanding', duePage, { limit: duePageSize, offset }),
    api.getIfAvailable('/api/part-returns/outstanding', duePage, {
      limit: 1,
      fittedBefore: now - PART_RETURN_DAYS * day,
    }),
    api.getIfAvailable('/api/part-returns/received', pageSchema(partReturnReceivedSchema), {
      limit: receivedShown,
    }),
  ]);
  if (due === null || late === null || received === null) return null;
  return {
    due: { rows: due.items.map((i) => dueRow(i, now)), total: due.total, offset, late: late.total },
    received: received.items.map((r) => ({ ...r, modelLabel: modelLabel(r.deviceModel) })),
  };
}
