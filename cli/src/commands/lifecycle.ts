import { constants } from 'node:os';
import type { Logger } from '@aftercare/core';

/** What stopOnSignals needs of the process: `process` itself, or a stand-in in a test. */
export interface SignalTarget {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface StopOnSignalsOptions {
  /** Default `process`. */
  target?: SignalTarget;
  clock?: () => number;
  /**
   * A signal within this long after the first is the same request, not a second one: Ctrl-C reaches
   * every process of the terminal's group, so under `pnpm start` (pnpm, tsx, node) the platform gets
   * it from the terminal and again, milliseconds later, relayed by its parents. Default 2000 ms.
   */
  repeatGraceMs?: number;
}

/** Exit code of a process ended by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 2);
}

/**
 * Runs `stop` once on Ctrl-C or SIGTERM. A signal that comes again after the grace (the person
 * pressing Ctrl-C a second time) exits at once without waiting for `stop`.
 */
export function stopOnSignals(
  logger: Logger,
  stop: () => Promise<void>,
  options: StopOnSignalsOptions = {},
): void {
  const target = options.target ?? process;
  const clock = options.clock ?? Date.now;
  const graceMs = options.repeatGraceMs ?? 2000;
  let firstAt: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt !== null) {
      const sinceMs = clock() - firstAt;
      if (sinceMs < graceMs) {
        logger.debug({ signal, sinceMs }, 'signal repeated (relayed by a parent process); already stopping');
        return;
      }
      logger.warn({ signal }, 'second signal; exiting without waiting');
      target.exit(signalExitCode(signal));
      return;
    }
    firstAt = clock();
    logger.info({ signal }, 'stopping: flushing ingest and closing connections');
    stop().then(
      () => {
        logger.info('stopped cleanly');
        target.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        target.exit(1);
      },
    );
  };
  target.on('SIGINT', onSignal);
  target.on('SIGTERM', onSignal);
}

/**
 * An abort signal for work that starts processes of its own (a backtest's training and arms): Ctrl-C or
 * SIGTERM aborts it once, and the signals that follow (relayed by pnpm and tsx) change nothing. A
 * SIGTERM reaches this process alone, so without this its children would outlive it. `dispose` gives
 * the signals back to Node's default handling.
 */
export function abortOnSignals(logger: Logger, what: string) {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy !== null) return;
    stoppedBy = signal;
    logger.warn({ signal }, `stopping ${what}`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    /** The signal that stopped the work, or null while none has. */
    stoppedBy: () => stoppedBy,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
