import type { EpochProgress, ProgressListener } from '@aftercare/models';
import cliProgress from 'cli-progress';
import type { ModelsCliContext } from './context.ts';

export interface TrainingProgress {
  onEpoch: ProgressListener;
  /** Leaves the terminal clean (stops a bar that is still drawn). */
  stop(): void;
}

/**
 * One bar per ensemble member on stderr while a person watches; otherwise (a pipe, a log file, --json)
 * no bar: a log line per member, and per epoch at debug level.
 * `cap` turns the scaled validation loss back into cycles (RMSE = √loss · cap).
 */
export function trainingProgress(
  ctx: ModelsCliContext,
  options: { bar: boolean; cap: number },
): TrainingProgress {
  const useBar = options.bar && ctx.stderr.isTTY === true;
  const log = ctx.logger.child({ component: 'training' });
  let bar: cliProgress.SingleBar | null = null;
  const rmse = (p: EpochProgress) => Math.sqrt(p.valLoss) * options.cap;
  let best = Number.POSITIVE_INFINITY;
  const onEpoch: ProgressListener = (p) => {
    if (p.epoch === 1) best = Number.POSITIVE_INFINITY;
    best = Math.min(best, rmse(p));
    const payload = {
      member: `${p.member}/${p.members}`,
      valRmse: rmse(p).toFixed(2),
      best: best.toFixed(2),
      lr: p.learningRate.toExponential(1),
      seconds: p.seconds.toFixed(1),
    };
    if (useBar) {
      if (p.epoch === 1) {
        bar = new cliProgress.SingleBar(
          {
            stream: ctx.stderr,
            format:
              'member {member} [{bar}] epoch {value}/{total} · val RMSE {valRmse} (best {best}) · lr {lr} · {seconds} s/epoch',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.epochs, 0, payload);
      }
      bar?.update(p.epoch, payload);
      if (p.stopping) {
        bar?.setTotal(p.epoch);
        bar?.stop();
        bar = null;
      }
    } else {
      log.debug({ ...payload, epoch: p.epoch, loss: p.loss }, 'epoch');
    }
    if (p.stopping) {
      log.info(
        { member: payload.member, epochs: p.epoch, bestValRmse: Number(best.toFixed(3)) },
        'member trained',
      );
    }
  };
  return {
    onEpoch,
    stop: () => {
      bar?.stop();
      bar = null;
    },
  };
}
