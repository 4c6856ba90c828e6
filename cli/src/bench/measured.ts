import { Worker } from 'node:worker_threads';

/**
 * Samples the process's RSS from a worker thread, so a scorer that keeps the main thread busy
 * (synchronous SQLite reads, tfjs kernels) cannot hide its peak between samples.
 */
function sampleRss(intervalMs = 10): { stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let peak = process.memoryUsage.rss();
     const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, ${intervalMs});
     parentPort.on('message', () => {
       clearInterval(timer);
       parentPort.postMessage(Math.max(peak, process.memoryUsage.rss()));
     });`,
    { eval: true },
  );
  return {
    async stop() {
      const peak = new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage('stop');
      const value = await peak;
      await worker.terminate();
      return value;
    },
  };
}

/**
 * Runs `task` and reports its wall-clock and CPU seconds (the CPU figure stays meaningful when
 * other processes share the cores) and the RSS it added at its peak.
 */
export async function measured<T>(task: () => Promise<T>) {
  const before = process.memoryUsage.rss();
  const sampler = sampleRss();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = await task();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const peak = Math.max(await sampler.stop(), process.memoryUsage.rss());
  return {
    value,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    before,
    added: Math.max(0, peak - before),
  };
}
