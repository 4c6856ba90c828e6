import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.ts';

// Its own file: a failed import of tfjs-node is cached per module graph, so it must be the first one.
describe('initBackend with CLI flags on the command line', () => {
  it('does not let tfjs-node read our --dir flag as its binding folder, and restores process.argv', async () => {
    const saved = process.argv;
    process.argv = [...saved.slice(0, 2), 'benchmark', '--dir', '/nonexistent-data-dir'];
    const argvSeen = process.argv;
    try {
      const choice = await initBackend(undefined, () => {});
      expect(choice.reason).not.toContain('/nonexistent-data-dir');
      expect(process.argv).toBe(argvSeen);
    } finally {
      process.argv = saved;
    }
  });
});
