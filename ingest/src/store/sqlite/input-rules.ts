import { inputRules } from '../input-rules.ts';

export { bucketStarts, checkRange, maxBuckets } from '../input-rules.ts';

export const { assertStorablePoints, assertStorableEvents, checkMetricNames } = inputRules();
