import type { Logger } from '@aftercare/core';
import cliProgress from 'cli-progress';
import type { ArmKind } from './backtest-types.ts';

export interface ArmProgress {
  update(kind: ArmKind, phase: 'warm-up' | 'run', day: number, days: number): void;
  stop(): void;
}

/**
 * One bar per arm on stderr while a person watches (virtual days done); in a pipe or a log, a line per
 * arm every tenth of the run instead.
 */
export function armProgress(logger: Logger, days: number): ArmProgress {
  if (process.stderr.isTTY !== true) {
    const lastTenth = new Map<ArmKind, number>();
    return {
      update(kind, phase, day, total) {
        if (phase !== 'run') return;
        const tenth = Math.floor((day / total) * 10);
        if (tenth === lastTenth.get(kind)) return;
        lastTenth.set(kind, tenth);
        logger.info({ arm: kind, day, days: total }, `backtest ${kind}: day ${day} of ${total}`);
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: '{arm} [{bar}] {phase} day {value}/{total} · {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<ArmKind, cliProgress.SingleBar>();
  return {
    update(kind, phase, day, total) {
      let bar = bars.get(kind);
      if (!bar) {
        bar = multi.create(days, 0, { arm: kind.padEnd(8), phase });
        bars.set(kind, bar);
      }
      bar.setTotal(total);
      bar.update(day, { phase: phase === 'run' ? 'virtual' : 'warm-up' });
    },
    stop() {
      multi.stop();
    },
  };
}
