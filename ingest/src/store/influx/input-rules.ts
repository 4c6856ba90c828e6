import { inputRules } from '../input-rules.ts';

export { bucketStarts, checkRange, maxBuckets } from '../input-rules.ts';

/** Names the schema already uses for the time column and the tags; a field of that name would shadow them. */
export const reservedNames: ReadonlySet<string> = new Set(['time', 'device_id', 'model']);

export const { assertStorablePoints, assertStorableEvents, checkMetricNames } = inputRules(reservedNames);
