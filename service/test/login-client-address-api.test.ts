import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceHarness, startService } from './support/harness.ts';

/**
 * Failed logins are counted per client address and email. The console's server signs browsers in
 * from this host (127.0.0.1) and says whose attempt it is in X-Forwarded-For; anyone else who sends
 * that header is not believed. A peer other than the console's loopback address is simulated by
 * connecting from 127.0.0.2, which Linux routes over the loopback interface like 127.0.0.1.
 */

const console_ = '127.0.0.1';
const otherPeer = '127.0.0.2';

interface Attempt {
  /** The local address the connection comes from: who the service sees as the peer. */
  from: string;
  forwardedFor?: string;
}

describe('the login limit counts the client, not the console that signs it in', () => {
  let service: ServiceHarness;
  const password = 'correct horse battery staple';
  beforeAll(async () => {
    // The production limit: 10 failures per address and email within 15 minutes.
    service = await startService({ config: { loginRateLimit: { max: 10, timeWindowMs: 15 * 60_000 } } });
  });
  afterAll(() => service.close());

  /** POST /api/auth/login over a socket from `from`; answers the status and Retry-After. */
  const login = (attempt: Attempt, email: string, pw: string) =>
    new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
      const url = new URL('/api/auth/login', service.url);
      const body = JSON.stringify({ email, password: pw });
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          localAddress: attempt.from,
          headers: {
            'content-type': 'application/json',
            ...(attempt.forwardedFor === undefined ? {} : { 'x-forwarded-for': attempt.forwardedFor }),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const failTenTimes = async (email: string, attempt: (i: number) => Attempt) => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await login(attempt(i), email, `guess ${i}`)).status);
    return statuses;
  };

  /** Ten wrong passwords as `attempt(i)`, each refused as wrong; then the right one as `last`. */
  const afterTenFailures = async (email: string, attempt: (i: number) => Attempt, last: Attempt) => {
    expect(await failTenTimes(email, attempt)).toEqual(Array(10).fill(401));
    return login(last, email, password);
  };

  it("does not lock an account's owner out of the console after 10 wrong passwords from another browser", async () => {
    await service.repos.users.create({ email: 'planner@aftercare.local', password, role: 'planner' });
    const guesser: Attempt = { from: console_, forwardedFor: '203.0.113.7' };
    expect(await failTenTimes('planner@aftercare.local', () => guesser)).toEqual(Array(10).fill(401));

    const refused = await login(guesser, 'planner@aftercare.local', password);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(14 * 60);

    const owner: Attempt = { from: console_, forwardedFor: '198.51.100.9' };
    expect((await login(owner, 'planner@aftercare.local', password)).status).toBe(200);
  });

  it('still limits a client without the header by its own address, as before', async () => {
    await service.repos.users.create({ email: 'plain@example.com', password, role: 'planner' });
    const direct: Attempt = { from: console_ };
    expect(await failTenTimes('plain@example.com', () => direct)).toEqual(Array(10).fill(401));
    expect((await login(direct, 'plain@example.com', password)).status).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not the console: a guesser cannot pick a fresh key per try', async () => {
    await service.repos.users.create({ email: 'target@example.com', password, role: 'planner' });
    const refused = await afterTenFailures(
      'target@example.com',
      (i) => ({ from: otherPeer, forwardedFor: `198.51.100.${i + 1}` }),
      { from: otherPeer, forwardedFor: '198.51.100.200' },
    );
    expect(refused.status).toBe(429);
    // The console's own users are counted apart from that peer.
    expect(
      (await login({ from: console_, forwardedFor: '203.0.113.50' }, 'target@example.com', password)).status,
    ).toBe(200);
  });

  it('counts the address a proxy on this host appended, not the one the client wrote before it', async () => {
    // nginx's $proxy_add_x_forwarded_for keeps what the client sent and appends the address it saw.
    await service.repos.users.create({ email: 'proxied@example.com', password, role: 'planner' });
    const refused = await afterTenFailures(
      'proxied@example.com',
      (i) => ({ from: console_, forwardedFor: `198.51.100.${i + 1}, 203.0.113.66` }),
      { from: console_, forwardedFor: '198.51.100.200, 203.0.113.66' },
    );
    expect(refused.status).toBe(429);
  });
});
