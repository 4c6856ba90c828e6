import { AftercareError } from '@aftercare/core';

/** Why the broker turned something away; the `reason` label of `aftercare_broker_refusals_total`. */
export const refusalReasons = [
  'missing_credentials',
  'unknown_device',
  'wrong_password',
  'client_id_mismatch',
  'connect_rate_limited',
  'forbidden_will',
  'auth_unavailable',
  'forbidden_publish',
  /** A device's status publish that was not exactly `online` or `offline`. */
  'invalid_status',
  'forbidden_subscribe',
  'rate_limited',
  'intercept_rejected',
  'packet_too_large',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/** CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3) that a refused login can carry. */
export const connackRefusal = {
  identifierRejected: 2,
  serverUnavailable: 3,
  badUsernameOrPassword: 4,
  notAuthorized: 5,
} as const;
export type ConnackRefusal = (typeof connackRefusal)[keyof typeof connackRefusal];

/**
 * Handed to aedes' callbacks when the broker says no. aedes reads `returnCode` to choose the
 * CONNACK code; for publishes any error closes the connection, since MQTT 3.1.1 has no negative ack.
 */
export class BrokerRefusalError extends AftercareError {
  readonly reason: RefusalReason;
  readonly returnCode: ConnackRefusal | undefined;
  constructor(reason: RefusalReason, message: string, returnCode?: ConnackRefusal) {
    super('BROKER_REFUSED', message);
    this.reason = reason;
    this.returnCode = returnCode;
  }
}

/** start() twice, or publish() on a broker that is not running. */
export class BrokerStateError extends AftercareError {
  constructor(message: string) {
    super('BROKER_STATE', message);
  }
}
