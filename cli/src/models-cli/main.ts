#!/usr/bin/env node
import { createLogger } from '@aftercare/core';
import { runModelsCli } from './cli.ts';

// The only file of the models CLI that reads the environment and handles signals.
const abort = new AbortController();
const onSignal = () => {
  if (abort.signal.aborted) process.exit(130);
  process.stderr.write('\nstopping after this epoch… (again to quit at once)\n');
  abort.abort(new Error('stopped by signal'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const logger = createLogger({
  level: process.env.AFTERCARE_LOG_LEVEL || 'info',
  name: 'models',
  // stdout carries the results (JSON with --json: one object, an array for `list`); logs go to stderr.
  destination: process.stderr,
});

process.exitCode = await runModelsCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: abort.signal,
  logger,
});
