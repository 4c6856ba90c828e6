import { withoutCredentials } from '@aftercare/core';
import { SimError } from '../errors.ts';
import type { FleetFailure } from '../mqtt/fleet-runner.ts';
import { secretsFileName } from '../provisioning/secrets-file.ts';

/** Why devices the API already has cannot log in, for `run` and `load`: where their secrets should be. */
export function unknownSecretsReason(secretsFile: string, fileExisted: boolean): string {
  return fileExisted
    ? `the API has them already, and their secrets are not in ${secretsFile}`
    : `the API has them already, and their secrets were kept in ${secretsFileName}, which this --data-dir ` +
        `does not hold (${secretsFile} does not exist)`;
}

/** The one line a run or a load ends with when it can send nothing: which broker, and why. */
export function brokerFailure(failure: FleetFailure, url: string, source: string): SimError {
  const broker = `--mqtt ${withoutCredentials(url)}${source === '--mqtt' ? '' : ` from ${source}`}`;
  return new SimError(
    'SIM_NOT_CONNECTED',
    failure.kind === 'unreachable'
      ? `cannot connect to ${broker} (${failure.reason})`
      : `the broker at ${broker} refused every device (${failure.reason})`,
  );
}
