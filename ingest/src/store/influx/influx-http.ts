import {
  AbortError,
  HttpError,
  InfluxDB,
  RequestTimedOutError,
  type Transport,
} from '@influxdata/influxdb-client';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.ts';

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface StatementResult {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
}

/** A statement InfluxDB parsed and refused (the HTTP request itself succeeded). */
export class InfluxStatementError extends Error {}

export interface InfluxConnection {
  url: string;
  token?: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

/**
 * Status codes that say nothing about the data: wrong credentials, a database that is not there
 * (yet), throttling, a server in trouble. The caller keeps the data and retries; the rest of 4xx
 * means InfluxDB refused the data itself.
 */
const notAboutTheData = new Set([401, 403, 404, 408, 429]);

function influxMessage(err: HttpError): string {
  const fromJson = (err.json as { error?: unknown } | undefined)?.error;
  if (typeof fromJson === 'string') return fromJson;
  try {
    const parsed = JSON.parse(err.body ?? '') as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: use the body as it is
  }
  return (err.body ?? err.message).slice(0, 500);
}

export function toStoreError(err: unknown, action: string): Error {
  if (err instanceof StoreRejectedError || err instanceof StoreUnavailableError) return err;
  if (err instanceof HttpError) {
    const message = `influx ${action} failed: HTTP ${err.statusCode}: ${influxMessage(err)}`;
    return err.statusCode >= 500 || notAboutTheData.has(err.statusCode)
      ? new StoreUnavailableError(message, { cause: err })
      : new StoreRejectedError(message, { cause: err });
  }
  if (err instanceof RequestTimedOutError || err instanceof AbortError) {
    return new StoreUnavailableError(`influx ${action} failed: ${err.message}`, { cause: err });
  }
  // ECONNREFUSED, ECONNRESET, EHOSTUNREACH, DNS failures…: all mean "not reachable now".
  const code = (err as { code?: unknown }).code;
  return new StoreUnavailableError(
    `influx ${action} failed: ${typeof code === 'string' ? `${code} ` : ''}${(err as Error).message ?? String(err)}`,
    { cause: err },
  );
}

/**
 * The v1-compatible HTTP API (`/write`, `/query`, `/ping`) through the client's transport; the
 * client's WriteApi and QueryApi speak `/api/v2`, which InfluxDB 1.x does not have.
 */
export class InfluxHttp {
  private readonly transport: Transport;
  /** InfluxDB 1.x reads `u` and `p` from the URL only, not from a form body. */
  private readonly auth: string;
  private readonly timeoutMs: number;

  constructor(connection: InfluxConnection) {
    this.timeoutMs = connection.timeoutMs ?? 10_000;
    const options: ConstructorParameters<typeof InfluxDB>[0] = {
      url: connection.url,
      timeout: this.timeoutMs,
    };
    if (connection.token) options.token = connection.token;
    this.transport = new InfluxDB(options).transport;
    this.auth =
      connection.username !== undefined
        ? `&${new URLSearchParams({ u: connection.username, p: connection.password ?? '' })}`
        : '';
  }

  /**
   * The transport only reports a socket timeout and leaves the request open; the abort signal ends
   * it, so a server that hangs does not collect one stuck socket per retry.
   */
  private request(path: string, body: string, method: string, contentType?: string): Promise<unknown> {
    return this.transport.request(path, body, {
      method,
      headers: contentType ? { 'content-type': contentType } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  async ping(): Promise<void> {
    try {
      await this.request('/ping', '', 'GET');
    } catch (err) {
      throw toStoreError(err, 'ping');
    }
  }

  /** Resolves once InfluxDB answered 204: the lines are in its write-ahead log. */
  async write(body: string, database: string, retentionPolicy: string | undefined): Promise<void> {
    const params = new URLSearchParams({ db: database, precision: 'ms' });
    if (retentionPolicy) params.set('rp', retentionPolicy);
    await this.request(`/write?${params}${this.auth}`, body, 'POST', 'text/plain; charset=utf-8');
  }

  /** One statement; throws InfluxStatementError when InfluxDB refuses it, transport errors as they come. */
  async query(statement: string, database?: string): Promise<InfluxSeries[]> {
    const form = new URLSearchParams({ q: statement, epoch: 'ms' });
    if (database) form.set('db', database);
    const response = (await this.request(
      `/query?${this.auth.slice(1)}`,
      form.toString(),
      'POST',
      'application/x-www-form-urlencoded',
    )) as { results?: StatementResult[]; error?: string } | undefined;
    const error = response?.error ?? response?.results?.[0]?.error;
    if (error) throw new InfluxStatementError(error);
    return response?.results?.[0]?.series ?? [];
  }
}
