import { ErrorWithReasonCode } from 'mqtt';

/**
 * Why a run can send nothing at all: the broker could not be reached before any device connected
 * (`unreachable`), or it refused every device's login (`refused`).
 */
export interface FleetFailure {
  kind: 'unreachable' | 'refused';
  /** A few words for the end of a message: "connection refused", "host not found". */
  reason: string;
}

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
};

/** The words for a connection that closed before the broker accepted it (`err`: its last error, if any). */
export function describeConnectFailure(err: Error | undefined): string {
  if (err === undefined) return 'the connection closed before the broker answered; is it an MQTT broker?';
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && reasons[code]) return reasons[code];
  if (err.message === 'connack timeout') return 'the broker did not answer in time';
  if (typeof code === 'string' && /CERT|SSL|TLS/.test(code)) return `TLS: ${err.message}`;
  return err.message.split('\n')[0]!;
}

/** A CONNACK that refused the login: the broker is there and answered. */
export function isRefusal(err: Error | undefined): boolean {
  return err instanceof ErrorWithReasonCode;
}
