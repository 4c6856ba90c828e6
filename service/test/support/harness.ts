import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, heldClock } from '@aftercare/core';
import {
  createSqliteStore,
  PresenceTracker,
  RejectionLog,
  type SqliteTelemetryStore,
} from '@aftercare/ingest';
import { Registry } from 'prom-client';
import { build, type ServiceApp, type ServiceConfig, type ServiceDeps } from '../../src/app.ts';
import { createDatabase, type ServiceDatabase } from '../../src/db/database.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../../src/repositories/service-repositories.ts';
import type { TokenRepository } from '../../src/repositories/token-repository.ts';
import type { Role } from '../../src/schemas.ts';

export const adminToken = 'test-admin-token-0123456789';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape the endpoint answers
  body: any;
}

export interface ServiceHarness {
  url: string;
  app: ServiceApp;
  db: ServiceDatabase;
  /** The real embedded store, in a temp directory removed on close. */
  store: SqliteTelemetryStore;
  presence: PresenceTracker;
  rejections: RejectionLog;
  metrics: Registry;
  tokens: TokenRepository;
  /** The repositories the app runs on (shared, with their event bus). */
  repos: ServiceRepositories;
  /** Every log line the service wrote, as JSON text. */
  logs: string[];
  /** A request over the socket; `token: null` sends no Authorization header. Defaults to the admin token. */
  api(
    path: string,
    init?: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  /** Creates an account and logs it in; answers the session token. */
  login(user: {
    email: string;
    name?: string;
    role: Role;
    customerId?: string;
    technicianId?: string;
  }): Promise<string>;
  /** An API token; a customer token names its customer, a technician token its technician. */
  tokenFor(role: Role, scopeId?: string): Promise<string>;
  /**
   * Runs `act` with the service's clock at `instant`, then gives the clock back: a technician who
   * starts a job arrives on its appointment's day, which in a test is usually not today.
   */
  at<T>(instant: number, act: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The real service on a free port over a real SQLite database, as the wiring would start it. */
export async function startService(
  options: { health?: ServiceDeps['health']; config?: Partial<ServiceConfig>; clock?: () => number } = {},
): Promise<ServiceHarness> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const db = await createDatabase({ file: ':memory:' });
  const storeDir = mkdtempSync(join(tmpdir(), 'aftercare-service-'));
  const store = createSqliteStore({ file: join(storeDir, 'telemetry.db'), retentionDays: 30 });
  await store.init();
  const presence = new PresenceTracker();
  const rejections = new RejectionLog(50);
  const metrics = new Registry();
  const time = heldClock(options.clock);
  const clock = time.now;
  const repos = createServiceRepositories(db, { sessionHours: options.config?.sessionHours ?? 12, clock });
  const app = build(
    { adminToken, ...options.config },
    {
      db,
      store,
      presence,
      rejections,
      metrics,
      logger: createLogger({ level: 'debug', destination }),
      repositories: repos,
      clock,
      ...(options.health ? { health: options.health } : {}),
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('service did not bind a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  const tokens = repos.tokens;

  const harness: ServiceHarness = {
    url,
    app,
    db,
    store,
    presence,
    rejections,
    metrics,
    tokens,
    repos,
    logs,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? adminToken : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url + path, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      if (response.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
      return { status: response.status, headers: response.headers, text, body };
    },
    async login(user) {
      const password = 'a long enough test password';
      await repos.users.create({ ...user, password });
      const res = await harness.api('/api/auth/login', {
        method: 'POST',
        token: null,
        body: { email: user.email, password },
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.body.token as string;
    },
    async tokenFor(role, scopeId) {
      const { token } = await tokens.create({
        name: `test ${role}`,
        role,
        customerId: role === 'customer' ? (scopeId ?? null) : null,
        technicianId: role === 'technician' ? (scopeId ?? 'tech-unassigned') : null,
      });
      return token;
    },
    at: time.at,
    async close() {
      await app.close();
      await store.close();
      await db.destroy();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return harness;
}
