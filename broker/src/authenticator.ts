import { createHash } from 'node:crypto';
import { deviceIdSchema, verifySecret } from '@aftercare/core';
import type { Principal } from './acl.ts';
import { type ConnackRefusal, connackRefusal, type RefusalReason } from './errors.ts';
import type { DeviceCredentials, ServiceAccount } from './ports.ts';

export interface LoginAttempt {
  username: string;
  password: Buffer | undefined;
  clientId: string;
}

export type LoginResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: RefusalReason; returnCode: ConnackRefusal };

export interface AuthenticatorOptions {
  credentials: DeviceCredentials;
  serviceAccounts: readonly ServiceAccount[];
  /** How long a verified (login, secret) pair skips scrypt. */
  cacheTtlMs: number;
  /** Bound on remembered verifications; the oldest go first. */
  maxCacheEntries: number;
  now?: () => number;
  /** core's verifySecret unless a test wants to count the scrypt runs. */
  verify?: (secret: string, storedHash: string) => Promise<boolean>;
}

const refuse = (reason: RefusalReason, returnCode: ConnackRefusal): LoginResult => ({
  ok: false,
  reason,
  returnCode,
});

/**
 * Checks MQTT logins: devices against the registry's scrypt hashes, the platform's services against
 * their own accounts. After a broker restart every device reconnects at once, so successful
 * verifications are remembered for a while — keyed by a SHA-256 of the secret, never the secret —
 * together with the hash they were checked against: a rotated secret changes the stored hash and
 * forces a fresh check, and a removed device is refused because the lookup itself is never cached.
 */
export class Authenticator {
  private readonly services: Map<string, ServiceAccount>;
  private readonly verified = new Map<string, { hash: string; until: number }>();
  private readonly now: () => number;
  private readonly verifySecret: (secret: string, storedHash: string) => Promise<boolean>;

  constructor(private readonly options: AuthenticatorOptions) {
    this.services = new Map(options.serviceAccounts.map((a) => [a.username, a]));
    this.now = options.now ?? Date.now;
    this.verifySecret = options.verify ?? verifySecret;
  }

  async login({ username, password, clientId }: LoginAttempt): Promise<LoginResult> {
    if (!username || !password || password.length === 0) {
      return refuse('missing_credentials', connackRefusal.badUsernameOrPassword);
    }
    const secret = password.toString('utf8');
    const account = this.services.get(username);
    if (account) {
      // Several workers of one service run side by side, each needing its own client id; the
      // username prefix keeps them from taking over (and kicking) a device's client id.
      if (clientId !== username && !clientId.startsWith(`${username}-`)) {
        return refuse('client_id_mismatch', connackRefusal.identifierRejected);
      }
      if (!(await this.verify(`service\0${username}`, secret, account.secretHash))) {
        return refuse('wrong_password', connackRefusal.badUsernameOrPassword);
      }
      return { ok: true, principal: { kind: 'service', username, role: account.role } };
    }

    if (clientId !== username) return refuse('client_id_mismatch', connackRefusal.identifierRejected);
    if (!deviceIdSchema.safeParse(username).success) {
      return refuse('unknown_device', connackRefusal.badUsernameOrPassword);
    }
    let stored: string | null;
    try {
      stored = await this.options.credentials.lookupSecretHash(username);
    } catch {
      // The registry being down is not the device's fault: "server unavailable" tells it to retry.
      return refuse('auth_unavailable', connackRefusal.serverUnavailable);
    }
    if (stored === null) return refuse('unknown_device', connackRefusal.badUsernameOrPassword);
    if (!(await this.verify(`device\0${username}`, secret, stored))) {
      return refuse('wrong_password', connackRefusal.badUsernameOrPassword);
    }
    return { ok: true, principal: { kind: 'device', deviceId: username } };
  }

  /** Remembered verifications, for tests and the curious. */
  get cachedVerifications(): number {
    return this.verified.size;
  }

  private async verify(login: string, secret: string, storedHash: string): Promise<boolean> {
    const key = `${login}\0${createHash('sha256').update(secret).digest('base64url')}`;
    const now = this.now();
    const known = this.verified.get(key);
    if (known && known.hash === storedHash && known.until > now) return true;
    let ok: boolean;
    try {
      ok = await this.verifySecret(secret, storedHash);
    } catch {
      ok = false; // a malformed stored hash matches nothing
    }
    this.verified.delete(key);
    if (!ok) return false;
    this.verified.set(key, { hash: storedHash, until: now + this.options.cacheTtlMs });
    while (this.verified.size > this.options.maxCacheEntries) {
      this.verified.delete(this.verified.keys().next().value!);
    }
    return true;
  }
}
