import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Device secrets and API tokens are stored as scrypt hashes: `scrypt$N$r$p$salt$hash` (base64url),
 * so the parameters travel with the hash and can be raised later without breaking old ones.
 */
/**
 * Machine secrets are 192 random bits, so a slow hash adds no protection against guessing; a cheap
 * scrypt keeps 10,000 devices reconnecting after a broker restart from costing minutes of CPU.
 * Human passwords get the expensive setting.
 */
const costs = { machine: { N: 1024, r: 8, p: 1 }, human: { N: 32768, r: 8, p: 1 } } as const;
export type SecretCost = keyof typeof costs;
const keyLength = 32;

function scryptAsync(secret: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N: n, r: rr, p: pp, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export function generateSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export async function hashSecret(secret: string, cost: SecretCost = 'machine'): Promise<string> {
  const { N, r, p } = costs[cost];
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  if (!Number.isInteger(Number(n)) || Number(n) > 1 << 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), Number(n), Number(rr), Number(pp));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
