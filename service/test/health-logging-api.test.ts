import { afterEach, describe, expect, it } from 'vitest';
import { type ServiceHarness, startService } from './support/harness.ts';

interface LogLine {
  level: number;
  msg: string;
  dependency?: string;
  statusCode?: number;
  url?: string;
  [key: string]: unknown;
}

const parsed = (service: ServiceHarness): LogLine[] => service.logs.map((line) => JSON.parse(line));
const downLines = (service: ServiceHarness) =>
  parsed(service).filter((l) => l.msg === 'health check failed: dependency is down');
const upLines = (service: ServiceHarness) =>
  parsed(service).filter((l) => l.msg === 'health check: dependency answers again');

let service: ServiceHarness | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('/health logging during an outage', () => {
  // Regression: every probe during a store outage logged a warning with a full stack and a level-50
  // request line: 12 of each a minute with a 5 s probe.
  it('logs a dependency going down once, without a stack, and the 503 answers at info', async () => {
    service = await startService();
    await service.store.close();
    for (let probe = 0; probe < 4; probe++)
      expect((await service.api('/health', { token: null })).status).toBe(503);

    const down = downLines(service);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ level: 40, dependency: 'telemetryStore', detail: expect.any(String) });
    expect(down[0]).not.toHaveProperty('err');
    expect(JSON.stringify(down[0])).not.toMatch(/\n\s+at /);

    const answers = parsed(service).filter((l) => l.msg === 'request' && l.url === '/health');
    expect(answers.map((l) => [l.statusCode, l.level])).toEqual(Array(4).fill([503, 30]));
    expect(parsed(service).filter((l) => l.level >= 50)).toEqual([]);
  });

  it('logs it back up once, and down again when it goes away again', async () => {
    let failing = false;
    service = await startService({
      health: async () => {
        if (failing) throw new Error('ingest report failed: store at 10.0.0.9 refused');
        return { ingest: { ok: true } };
      },
    });
    const probe = async (times: number) => {
      for (let i = 0; i < times; i++) await service!.api('/health', { token: null });
    };

    await probe(2);
    expect(downLines(service)).toEqual([]);
    failing = true;
    await probe(3);
    expect(downLines(service)).toHaveLength(1);
    expect(downLines(service)[0]).toMatchObject({
      dependency: 'platform',
      detail: 'unavailable',
      error: 'ingest report failed: store at 10.0.0.9 refused',
    });
    failing = false;
    await probe(3);
    expect(upLines(service)).toHaveLength(1);
    expect(upLines(service)[0]).toMatchObject({ level: 30, dependency: 'platform' });
    failing = true;
    await probe(2);
    expect(downLines(service)).toHaveLength(2);
    expect(parsed(service).filter((l) => l.level >= 50)).toEqual([]);
  });
});
