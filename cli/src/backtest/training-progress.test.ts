import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger, silentLogger } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTrainedModels } from './trained-models.ts';
import { trainingEstimate } from './training-progress.ts';

/** The smallest training fleet the backtest takes: real training, a few seconds. */
const fleet = { seed: 100_001, devices: 20, days: 60 };

/** Everything written to a stream, as text; `isTTY` as a terminal's stderr says it. */
function captured(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('ensureTrainedModels: what a person sees while the fleet models train', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'aftercare-training-progress-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('shows a bar with the phase at a terminal, instead of the training process’s raw JSON lines', async () => {
    const out = captured(true);
    const models = await ensureTrainedModels(join(root, 'tty'), fleet, silentLogger, out.stream);
    expect(models.cached).toBe(false);
    const text = out.text();
    expect(text).toContain('training the fleet models (first run only, under a minute)');
    // Drawn from the training process's own lines as it goes, not only at the end.
    // (the bar redraws at most a few times a second, so which model shows last is not fixed)
    expect(text).toMatch(/trained [1-4] of 4 device models \([a-z-]+(, skipped)?\)/);
    expect(text).toContain('100% · trained 4 of 4 device models');
    expect(text).not.toContain('"level":30');
  }, 120_000);

  it('keeps the log structured in a pipe: a line saying training started, then the process’s own lines', async () => {
    const out = captured(false);
    const log = captured(false);
    const logger = createLogger({ level: 'info', name: 'backtest', destination: log.stream });
    await ensureTrainedModels(join(root, 'pipe'), fleet, logger, out.stream);
    const started = log
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; estimate?: string });
    expect(started).toContainEqual(
      expect.objectContaining({
        msg: 'training the fleet models (first run only, under a minute); cached for later runs',
        estimate: 'under a minute',
      }),
    );
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.filter((l) => l.msg === 'model activated')).toHaveLength(4);
  }, 120_000);

  it('says nothing of training when the models come from the cache', async () => {
    const out = captured(true);
    const models = await ensureTrainedModels(join(root, 'tty'), fleet, silentLogger, out.stream);
    expect(models.cached).toBe(true);
    expect(out.text()).toBe('');
  });
});

describe('trainingEstimate', () => {
  it('gives the time to expect from the size of the training fleet, as measured here', () => {
    expect(trainingEstimate({ devices: 20, days: 60 })).toBe('under a minute');
    expect(trainingEstimate({ devices: 160, days: 365 })).toBe('about a minute');
    expect(trainingEstimate({ devices: 500, days: 365 })).toBe('about 4 min');
  });
});
