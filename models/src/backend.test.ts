import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.ts';

describe('initBackend', () => {
  it('falls back from the missing tfjs-node to wasm, says why, and logs the choice', async () => {
    const lines: string[] = [];
    const choice = await initBackend(undefined, (line) => lines.push(line));
    // tfjs-node's native binding is not installed on these machines; where it is, it must win.
    const expected = choice.name === 'node' ? 'tensorflow' : 'wasm';
    expect(tf.getBackend()).toBe(expected);
    if (choice.name === 'wasm') expect(choice.reason).toMatch(/tfjs-node unavailable/);
    expect(lines).toEqual([expect.stringContaining(`tensorflow backend: ${choice.name}`)]);
  });

  it('runs on cpu when asked, e.g. for convolutions that wasm cannot train', async () => {
    const choice = await initBackend('cpu', () => {});
    expect(choice).toEqual({ name: 'cpu', reason: 'cpu requested' });
    expect(tf.getBackend()).toBe('cpu');
    await initBackend('wasm', () => {});
    expect(tf.getBackend()).toBe('wasm');
  });
});
