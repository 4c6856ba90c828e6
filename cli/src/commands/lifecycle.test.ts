import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { type SignalTarget, stopOnSignals } from './lifecycle.ts';

/** A process stand-in: signals are emitted by the test, exits are recorded instead of ending the runner. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    on: (signal, listener) => emitter.on(signal, listener),
    exit: (code) => void exits.push(code),
  };
  const send = (signal: NodeJS.Signals) => emitter.emit(signal, signal);
  return { target, exits, send };
}

function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('stopOnSignals', () => {
  // Regression: under `pnpm start` Ctrl-C reached the platform from the terminal and again from
  // pnpm/tsx 32 ms later, and that relayed copy was taken as a second Ctrl-C: exit 130 without a clean stop.
  it('takes a signal repeated within the grace as the same request and stops cleanly', async () => {
    const { target, exits, send } = fakeProcess();
    const { logger, lines } = capturedLogger();
    let now = 1_000;
    const stopping = deferred();
    let stops = 0;
    stopOnSignals(
      logger,
      () => {
        stops += 1;
        return stopping.promise;
      },
      { target, clock: () => now },
    );

    send('SIGINT');
    now += 32;
    send('SIGINT');
    now += 5;
    send('SIGTERM');
    expect(exits).toEqual([]);
    expect(stops).toBe(1);

    stopping.resolve();
    await stopping.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
    expect(lines.map((l) => l.msg)).toContain('stopped cleanly');
    expect(lines.some((l) => l.msg.includes('exiting without waiting'))).toBe(false);
  });

  it('exits at once without waiting when the signal comes again after the grace', () => {
    const { target, exits, send } = fakeProcess();
    const { logger, lines } = capturedLogger();
    let now = 1_000;
    stopOnSignals(logger, () => new Promise<void>(() => {}), {
      target,
      clock: () => now,
      repeatGraceMs: 1500,
    });

    send('SIGINT');
    now += 1_000;
    send('SIGINT');
    expect(exits).toEqual([]);
    now += 1_000;
    send('SIGINT');
    expect(exits).toEqual([130]);
    expect(lines.find((l) => l.msg === 'second signal; exiting without waiting')?.level).toBe(40);
  });

  it('exits 143 for a late SIGTERM and 1 when stopping fails', async () => {
    const late = fakeProcess();
    let now = 0;
    stopOnSignals(capturedLogger().logger, () => new Promise<void>(() => {}), {
      target: late.target,
      clock: () => now,
    });
    late.send('SIGTERM');
    now += 10_000;
    late.send('SIGTERM');
    expect(late.exits).toEqual([143]);

    const failing = fakeProcess();
    const { logger, lines } = capturedLogger();
    const failed = Promise.reject(new Error('store would not close'));
    stopOnSignals(logger, () => failed, { target: failing.target });
    failing.send('SIGTERM');
    await failed.catch(() => {});
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.exits).toEqual([1]);
    expect(lines.find((l) => l.msg === 'error while stopping')?.level).toBe(50);
  });
});
