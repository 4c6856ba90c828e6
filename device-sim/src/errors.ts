import { AftercareError } from '@aftercare/core';

/** Stable codes of the simulator's own errors, safe to match on. */
export type SimErrorCode =
  | 'SIM_UNKNOWN_FAILURE_MODE'
  | 'SIM_BAD_FAILURE_WINDOW'
  | 'SIM_UNKNOWN_DEVICE'
  | 'SIM_BAD_OPTIONS'
  | 'SIM_NOT_CONNECTED'
  | 'SIM_TIME_WENT_BACKWARDS'
  | 'SIM_PROVISION_FAILED'
  | 'SIM_SECRETS_FILE_INVALID'
  | 'SIM_WRITE_FAILED';

export class SimError extends AftercareError {
  declare readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
