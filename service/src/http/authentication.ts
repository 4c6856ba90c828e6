import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { TokenRepository } from '../repositories/token-repository.ts';
import type { Role } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer authentication hook on every /api route; null elsewhere. */
    principal: Principal | null;
  }
}

const bearerPattern = /^Bearer +([^\s]+) *$/i;
const invalidTokenChallenge = 'Bearer realm="aftercare", error="invalid_token"';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * An onRequest hook that turns `Authorization: Bearer <token>` into `request.principal`: the admin
 * token from configuration, or a token from the api_tokens table. It answers 401 otherwise.
 */
export function bearerAuthentication(options: { adminToken: string; tokens: TokenRepository }) {
  // Comparing fixed-length digests keeps the comparison constant-time whatever length was sent.
  const adminDigest = sha256(options.adminToken);
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new UnauthorizedError('this endpoint needs an "Authorization: Bearer <token>" header');
    }
    const token = bearerPattern.exec(header)?.[1];
    if (token === undefined) {
      throw new UnauthorizedError('the Authorization header must be "Bearer <token>"', invalidTokenChallenge);
    }
    if (timingSafeEqual(sha256(token), adminDigest)) {
      request.principal = { role: 'admin', customerId: null, tokenId: null };
      return;
    }
    const principal = await options.tokens.verify(token);
    if (principal === null)
      throw new UnauthorizedError('the bearer token is not valid', invalidTokenChallenge);
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
      throw new ForbiddenError(`a ${role} token may not ${request.method} ${request.routeOptions.url}`);
    }
  };
}

/** The authenticated caller; a route outside the authenticated scope asking for one is a wiring bug. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null)
    throw new Error(`route ${request.routeOptions.url} is not behind authentication`);
  return request.principal;
}
