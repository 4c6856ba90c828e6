import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AftercareError, type Logger } from '@aftercare/core';
import type { ServiceApp } from '@aftercare/service';

/**
 * The web console (console/, SvelteKit with adapter-node) served by the platform's own HTTP server:
 * the console at `/`, the API under `/api`, one port and one origin. The console's server side calls
 * the API over HTTP on that same port with the signed-in user's token; the browser never does.
 */

const defaultConsoleDir = fileURLToPath(new URL('../../../console/', import.meta.url));
/** core is bundled into the console's server code, so a change there needs a rebuild too. */
const defaultCoreSrcDir = fileURLToPath(new URL('../../../core/src/', import.meta.url));

/** Paths that stay the API's, whatever the console has: everything else is the console's. */
const apiPrefixes = ['/api', '/health', '/metrics'];

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface ConsoleLocation {
  /** The console package; default the workspace's `console/`. */
  consoleDir?: string;
}

export interface EnsureConsoleBuiltOptions extends ConsoleLocation {
  logger: Logger;
  /** Extra source folders whose changes call for a rebuild; default core's sources. */
  alsoWatch?: string[];
  /** How long to wait for another process that is building the console. Default 5 minutes. */
  lockTimeoutMs?: number;
}

export class ConsoleBuildError extends AftercareError {
  constructor(message: string) {
    super('CONSOLE_BUILD_FAILED', message);
  }
}

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry.name)));
  }
  return newest;
}

/** Why the console needs building, or null when console/build is newer than every source. */
export function consoleBuildReason(options: ConsoleLocation & { alsoWatch?: string[] } = {}): string | null {
  const dir = options.consoleDir ?? defaultConsoleDir;
  // adapter-node writes handler.js last, into a build folder it empties first: its time is the build's.
  const handler = join(dir, 'build', 'handler.js');
  if (!existsSync(handler)) return 'console/build is missing';
  const builtAt = statSync(handler).mtimeMs;
  const sources = [
    join(dir, 'src'),
    join(dir, 'static'),
    join(dir, 'svelte.config.js'),
    join(dir, 'vite.config.ts'),
    join(dir, 'package.json'),
    ...(options.alsoWatch ?? [defaultCoreSrcDir]),
  ];
  const changed = sources.find((source) => newestMtimeMs(source) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file so that two processes starting at once (two test files, two `pnpm start`s) do not build
 * into the same folder together. A lock left by a process that died is taken over.
 */
async function withBuildLock<T>(
  dir: string,
  timeoutMs: number,
  logger: Logger,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = join(dir, '.build.lock');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (!Number.isInteger(holder) || holder <= 0 || !pidAlive(holder)) {
        unlinkSync(lock);
        continue;
      }
      if (Date.now() > deadline)
        throw new ConsoleBuildError(
          `another process (pid ${holder}) has been building the console for too long`,
        );
      if (!announced)
        logger.info({ pid: holder }, 'waiting for another process that is building the console');
      announced = true;
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {}
  }
}

function runViteBuild(dir: string): Promise<void> {
  const vite = join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite))
    return Promise.reject(new ConsoleBuildError(`vite is not installed in ${dir} (run pnpm install)`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new ConsoleBuildError(`could not run vite: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new ConsoleBuildError(
            `vite build failed (${signal ?? `exit ${code}`}):\n${output.trim().split('\n').slice(-25).join('\n')}`,
          ),
        );
    });
  });
}

/**
 * Builds the console when console/build is missing or older than its sources (or core's, which it
 * bundles), and says so in the log. Runs `vite build` in a child process, so the platform never
 * loads the build tool itself. Returns whether it built.
 */
export async function ensureConsoleBuilt(options: EnsureConsoleBuiltOptions): Promise<boolean> {
  const dir = options.consoleDir ?? defaultConsoleDir;
  const logger = options.logger.child({ component: 'console' });
  const check = () =>
    consoleBuildReason({ consoleDir: dir, ...(options.alsoWatch ? { alsoWatch: options.alsoWatch } : {}) });
  if (check() === null) {
    logger.debug('console build is up to date');
    return false;
  }
  return withBuildLock(dir, options.lockTimeoutMs ?? 5 * 60_000, logger, async () => {
    // Another process may have built it while this one waited for the lock.
    const reason = check();
    if (reason === null) return false;
    logger.info({ reason }, 'building the web console (vite build; about 10–30 s)');
    const started = Date.now();
    await runViteBuild(dir);
    logger.info({ seconds: Math.round((Date.now() - started) / 100) / 10 }, 'web console built');
    return true;
  });
}

/** A running platform's own copy of the console build; `remove` when the platform stops. */
export interface ConsoleSnapshot {
  dir: string;
  remove(): void;
}

/**
 * Copies console/build into a folder of this platform's own (console/.serving/<pid>-<random>), taken
 * under the build lock so that it is never half a build. The platform serves from the copy: another
 * process rebuilding console/build (a second `pnpm start`, a test run after an edit) replaces files
 * that a running console would otherwise still be asked for, and the static file server took that as
 * a fatal error. The copy sits inside console/ so that its server code still resolves the console's
 * dependencies. Copies left by processes that are gone are removed here.
 */
export async function snapshotConsoleBuild(
  options: ConsoleLocation & { logger: Logger; lockTimeoutMs?: number },
): Promise<ConsoleSnapshot> {
  const dir = options.consoleDir ?? defaultConsoleDir;
  const logger = options.logger.child({ component: 'console' });
  const serving = join(dir, '.serving');
  const snapshot = join(serving, `${process.pid}-${randomBytes(4).toString('hex')}`);
  await withBuildLock(dir, options.lockTimeoutMs ?? 5 * 60_000, logger, async () => {
    if (existsSync(serving))
      for (const entry of readdirSync(serving)) {
        const pid = Number(entry.split('-', 1)[0]);
        if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid))
          rmSync(join(serving, entry), { recursive: true, force: true });
      }
    cpSync(join(dir, 'build'), snapshot, { recursive: true });
  });
  return { dir: snapshot, remove: () => rmSync(snapshot, { recursive: true, force: true }) };
}

export interface ServeConsoleOptions extends ConsoleLocation {
  logger: Logger;
  /** The build to serve: a snapshot (snapshotConsoleBuild) or, by default, console/build itself. */
  buildDir?: string;
  /**
   * Where the console's server calls the API. Default: this app's own listener, read when the first
   * console request arrives (so port 0 works). AFTERCARE_API_URL in the environment wins over both.
   */
  apiUrl?: string;
  /** The IANA zone the console shows dates and times in. AFTERCARE_TIMEZONE in the environment wins; neither: the host's. */
  timeZone?: string;
}

function isApiPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '/';
  return apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function listenerUrl(app: ServiceApp): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the console was asked for before the HTTP server listened on a TCP port');
  const host =
    address.address === '0.0.0.0' || address.address === '::'
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Serves the built console (console/build/handler.js) from `app` for every path that is not the
 * API's (/api, /health, /metrics). Register before `app.listen()`. The console's handler is loaded
 * on the first request, after the server listens, because it reads its configuration from the
 * environment when it loads:
 * - AFTERCARE_API_URL, where its server side calls the API (set here to this listener unless given);
 * - AFTERCARE_TIMEZONE, the zone it shows times in (set here to `timeZone` unless given);
 * - AFTERCARE_CONSOLE_PROTOCOL_HEADER (adapter-node's PROTOCOL_HEADER under the console's prefix),
 *   set to `x-forwarded-proto`, which this route fills in from the connection when a proxy has not:
 *   without it adapter-node would take every request for https and refuse http form posts as
 *   cross-site.
 */
export function serveConsole(app: ServiceApp, options: ServeConsoleOptions): void {
  const handlerFile = join(
    options.buildDir ?? join(options.consoleDir ?? defaultConsoleDir, 'build'),
    'handler.js',
  );
  const logger = options.logger.child({ component: 'console' });
  if (!existsSync(handlerFile))
    throw new ConsoleBuildError(
      `the console is not built (${handlerFile} is missing); call ensureConsoleBuilt() first`,
    );

  let loading: Promise<NodeHandler> | undefined;
  const handler = () => {
    loading ??= (async () => {
      process.env.AFTERCARE_API_URL ||= options.apiUrl ?? listenerUrl(app);
      process.env.AFTERCARE_CONSOLE_PROTOCOL_HEADER ||= 'x-forwarded-proto';
      if (options.timeZone) process.env.AFTERCARE_TIMEZONE ||= options.timeZone;
      const module = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };
      logger.info(
        { api: process.env.AFTERCARE_API_URL, timeZone: process.env.AFTERCARE_TIMEZONE },
        'web console ready',
      );
      return module.handler;
    })();
    return loading;
  };

  app.register(async (scope) => {
    // The console reads request bodies itself (form posts): fastify must leave the stream alone.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        if (isApiPath(request.url)) return reply.callNotFound();
        let serve: NodeHandler;
        try {
          serve = await handler();
        } catch (err) {
          loading = undefined;
          logger.error({ err }, 'the web console could not be loaded');
          return reply
            .code(503)
            .type('text/plain')
            .send('The web console could not be loaded; see the server log.');
        }
        request.raw.headers['x-forwarded-proto'] ??= request.protocol;
        reply.hijack();
        serve(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404;
          reply.raw.end('Not found');
        });
      },
    });
  });
}
