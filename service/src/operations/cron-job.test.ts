import { Writable } from 'node:stream';
import { createLogger } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { createCronJob } from './cron-job.ts';

const logger = createLogger({ level: 'silent' });

function job(run: (now: number) => Promise<number>, expression = '*/5 * * * *') {
  return createCronJob({
    name: 'test-job',
    label: 'test job',
    expression,
    example: '*/5 * * * *',
    clock: () => 1_000,
    logger,
    run,
    summary: (n) => ({ n }),
    doneMessage: 'done',
  });
}

describe('createCronJob', () => {
  it('refuses an invalid expression, naming the job and an example', () => {
    expect(() => job(async () => 1, 'every minute')).toThrow(
      /test job cron "every minute" is not a valid cron expression.*"\*\/5 \* \* \* \*"/,
    );
  });

  it('never runs twice at once: a run asked for during another answers null', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const j = job(async (now) => {
      await gate;
      return now;
    });
    const first = j.runOnce(5);
    expect(await j.runOnce(6)).toBeNull();
    release();
    expect(await first).toBe(5);
    expect(await j.runOnce()).toBe(1_000);
  });

  it('reports a failed run as an event and keeps going', async () => {
    let calls = 0;
    const j = job(async () => {
      calls++;
      if (calls === 1) throw new Error('store down');
      return calls;
    });
    const failures: string[] = [];
    j.on('failed', ({ error }) => failures.push(error.message));
    expect(await j.runOnce()).toBeNull();
    expect(failures).toEqual(['store down']);
    expect(await j.runOnce()).toBe(2);
  });

  it('logs a run that found nothing to do at debug, and one that did at info', async () => {
    const lines: { level: number; n: number }[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    let n = 0;
    const j = createCronJob({
      name: 'test-job',
      label: 'test job',
      expression: '* * * * *',
      example: '* * * * *',
      clock: () => 1_000,
      logger: createLogger({ level: 'debug', destination }),
      run: async () => n++,
      summary: (count) => ({ n: count }),
      idle: (count) => count === 0,
      doneMessage: 'done',
    });
    await j.runOnce();
    await j.runOnce();
    expect(lines.filter((l) => 'n' in l).map((l) => [l.level, l.n])).toEqual([
      [20, 0],
      [30, 1],
    ]);
  });

  it('stops cleanly whether or not it was started', async () => {
    const j = job(async () => 1);
    await j.stop();
    j.start();
    await j.stop();
  });
});
