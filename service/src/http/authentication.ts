import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { aRole, type Principal } from '../principal.ts';
import type { TokenRepository } from '../repositories/token-repository.ts';
import type { UserRepository } from '../repositories/user-repository.ts';
import type { Role } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer authentication hook on every /api route; null elsewhere. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route also takes the token as `?access_token=` (EventSource cannot send headers). */
    queryToken?: boolean;
    /** The route needs no credentials (login, the API document). */
    public?: boolean;
  }
}

const bearerPattern = /^Bearer +([^\s]+) *$/i;
const invalidTokenChallenge = 'Bearer realm="aftercare", error="invalid_token"';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The bearer token of a request: the Authorization header, or `?access_token=` where the route allows it. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined) {
    if (request.routeOptions.config.queryToken) {
      const query = request.query as { access_token?: unknown } | undefined;
      if (typeof query?.access_token === 'string' && query.access_token.length > 0) return query.access_token;
    }
    throw new UnauthorizedError('this endpoint needs an "Authorization: Bearer <token>" header');
  }
  const token = bearerPattern.exec(header)?.[1];
  if (token === undefined) {
    throw new UnauthorizedError('the Authorization header must be "Bearer <token>"', invalidTokenChallenge);
  }
  return token;
}

/** A bearer token's principal, or null when it stands for no one (unknown, expired, revoked, disabled). */
export type CredentialCheck = (token: string) => Promise<Principal | null>;

/**
 * Checks a token against the admin token from configuration, the login sessions and the machine
 * tokens of the api_tokens table: what every request is authenticated with, and what an open event
 * stream is checked again with.
 */
export function credentialCheck(options: {
  adminToken: string;
  tokens: TokenRepository;
  /** Login sessions; without it only the admin token and API tokens are accepted. */
  users?: UserRepository;
}): CredentialCheck {
  // Comparing fixed-length digests keeps the comparison constant-time whatever length was sent.
  const adminDigest = sha256(options.adminToken);
  return async function checkCredential(token: string): Promise<Principal | null> {
    if (timingSafeEqual(sha256(token), adminDigest)) {
      return {
        role: 'admin',
        customerId: null,
        technicianId: null,
        via: 'admin_token',
        tokenId: null,
        userId: null,
        expiresAt: null,
      };
    }
    return options.users?.isSessionToken(token)
      ? options.users.verifySession(token)
      : options.tokens.verify(token);
  };
}

export function invalidTokenError(): UnauthorizedError {
  return new UnauthorizedError('the bearer token is not valid', invalidTokenChallenge);
}

/** An onRequest hook that turns the bearer token into `request.principal`; it answers 401 otherwise. */
export function bearerAuthentication(checkCredential: CredentialCheck) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.config.public) return;
    const principal = await checkCredential(bearerToken(request));
    if (principal === null) throw invalidTokenError();
    request.principal = principal;
  };
}

/**
 * Lets only the listed roles through: `preValidation: allow('admin', 'planner')`. It runs before
 * validation so that a caller who may not use a route learns nothing about what it accepts.
 */
export function allow(...roles: Role[]) {
  return async function authorize(request: FastifyRequest): Promise<void> {
    const role = principalOf(request).role;
    if (!roles.includes(role)) {
      throw new ForbiddenError(`${aRole(role)} token may not ${request.method} ${request.routeOptions.url}`);
    }
  };
}

/** The authenticated caller; a route outside the authenticated scope asking for one is a wiring bug. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null)
    throw new Error(`route ${request.routeOptions.url} is not behind authentication`);
  return request.principal;
}
