import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from './secret.ts';

describe('device secrets', () => {
  it('verifies the secret that was hashed and nothing else', async () => {
    const secret = generateSecret();
    const stored = await hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(await verifySecret(secret, stored)).toBe(true);
    expect(await verifySecret(`${secret}x`, stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const secret = generateSecret();
    expect(await hashSecret(secret)).not.toBe(await hashSecret(secret));
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    expect(await verifySecret('x', 'plain-text')).toBe(false);
    expect(await verifySecret('x', 'scrypt$99999999999$8$1$a$b')).toBe(false);
  });
});
