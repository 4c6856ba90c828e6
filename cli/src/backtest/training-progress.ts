import { deviceModels, type Logger } from '@aftercare/core';
import cliProgress from 'cli-progress';

/** Where the progress goes: stderr, or a stream that says whether a person watches it. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface TrainingProgress {
  /** One line the training process wrote: its pino log, or anything else (a crash). */
  line(text: string): void;
  /** `done`: the models were trained and saved. */
  stop(done: boolean): void;
}

/**
 * Training time per device-day of the training fleet (validation fleet included): 160 devices × 365
 * days trained in 72 s on this machine's two shared cores (wasm backend).
 */
const secondsPerDeviceDay = 72 / (160 * 365);

/** "under a minute", "about a minute", "about 4 min": how long the fleet models take to train here. */
export function trainingEstimate(fleet: { devices: number; days: number }): string {
  const seconds = fleet.devices * fleet.days * secondsPerDeviceDay;
  if (seconds < 45) return 'under a minute';
  if (seconds < 90) return 'about a minute';
  return `about ${Math.round(seconds / 60)} min`;
}

/**
 * Shares of the bar per phase of the training process, from the timings above: starting and
 * reading the training fleet 20%, the validation fleet 5%, then a quarter of the rest per device model.
 */
const share = { start: 5, training: 15, validation: 5 } as const;
const modelsFrom = share.start + share.training + share.validation;

interface TrainingLogLine {
  level?: number;
  phase?: string;
  set?: string;
  devices?: number;
  deviceModel?: string;
}

function parseLogLine(text: string): TrainingLogLine | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as TrainingLogLine) : null;
  } catch {
    return null;
  }
}

/**
 * What a person sees while the fleet models train (minutes with an empty cache). At a terminal: one
 * bar with the phase ("reading the training fleet: 100 of 160 devices", "trained 2 of 4 device
 * models"), drawn from the training process's own log lines; its warnings and errors, and anything
 * not a log line, still shown. In a pipe or a log: the training process's structured lines as they are.
 */
export function trainingProgress(
  out: ProgressStream,
  fleet: { seed: number; devices: number; days: number; dir: string },
  logger: Logger,
): TrainingProgress {
  const estimate = trainingEstimate(fleet);
  const title = `training the fleet models (first run only, ${estimate})`;
  logger.info(
    { trainingSeed: fleet.seed, devices: fleet.devices, days: fleet.days, dir: fleet.dir, estimate },
    `${title}; cached for later runs`,
  );
  if (out.isTTY !== true)
    return {
      line: (text) => out.write(`${text}\n`),
      stop() {},
    };

  const multi = new cliProgress.MultiBar(
    {
      stream: out,
      format: `${title} [{bar}] {percentage}% · {stage} · {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(100, 0, { stage: 'starting' });
  const validationDevices = Math.ceil(fleet.devices / 2);
  let trained = 0;
  let shown = 0;
  const show = (value: number, stage: string) => {
    shown = Math.min(100, Math.round(value));
    bar.update(shown, { stage });
  };
  return {
    line(text) {
      const entry = parseLogLine(text);
      if (entry === null || (entry.level ?? 30) >= 40) {
        multi.log(`${text}\n`);
        return;
      }
      if (entry.phase === 'histories' && typeof entry.devices === 'number') {
        if (entry.set === 'training')
          show(
            share.start + (share.training * entry.devices) / fleet.devices,
            `reading the training fleet: ${entry.devices} of ${fleet.devices} devices`,
          );
        else
          show(
            share.start + share.training + (share.validation * entry.devices) / validationDevices,
            `reading the validation fleet: ${entry.devices} of ${validationDevices} devices`,
          );
      } else if (
        (entry.phase === 'trained' || entry.phase === 'skipped') &&
        entry.deviceModel !== undefined
      ) {
        // A device model passed over counts as done: the bar goes on to the next.
        trained++;
        show(
          modelsFrom + ((100 - modelsFrom) * trained) / deviceModels.length,
          `trained ${trained} of ${deviceModels.length} device models (${entry.deviceModel}${entry.phase === 'skipped' ? ', skipped' : ''})`,
        );
      } else if (shown === 0) {
        // The first line (the TensorFlow backend): the process is up and reads the training fleet.
        show(share.start, 'reading the training fleet');
      }
    },
    stop(done) {
      if (done) show(100, `trained ${deviceModels.length} of ${deviceModels.length} device models`);
      // Draws what is still buffered (a last warning) before the final bar.
      multi.update();
      multi.stop();
    },
  };
}
