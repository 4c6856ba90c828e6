import type { DetectionFigures } from '@aftercare/models';

/**
 * Whether `train fleet` makes a new version active. 'auto' (the default) keeps the active version
 * where the new one's validation gives no reason to trust it: a small or short training fleet easily
 * yields a model that announces nothing, and activating it would silently replace a working one.
 */
export const activateModes = ['auto', 'always', 'never'] as const;
export type ActivateMode = (typeof activateModes)[number];

/**
 * Under 'auto', why a version whose validation fleet scored it as `validation` is not made active, or
 * null when it may be: it must have had failures to find and have announced at least one.
 */
export function reasonNotToActivate(
  deviceModel: string,
  validation: Pick<DetectionFigures, 'failures' | 'detected'>,
): string | null {
  if (validation.failures === 0) return `its validation fleet had no ${deviceModel} failure to check it on`;
  if (validation.detected === 0)
    return `it announced none of the ${validation.failures} ${deviceModel} failures of its validation fleet`;
  return null;
}
