import {
  changePasswordBodySchema,
  createUserBodySchema,
  idParamsSchema,
  loginBodySchema,
  loginResponseSchema,
  meResponseSchema,
  setPasswordBodySchema,
  userSchema,
  ValidationError,
} from '@aftercare/core';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../errors.ts';
import { allow, bearerToken, principalOf } from '../http/authentication.ts';
import { clientAddress } from '../http/client-address.ts';
import { LoginThrottle } from '../http/login-throttle.ts';
import type { UserRepository } from '../repositories/user-repository.ts';
import { roles } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface LoginRateLimit {
  /** Failed attempts allowed per client address and email within the window; a success clears them. */
  max: number;
  timeWindowMs: number;
}

export interface AuthRoutesOptions {
  users: UserRepository;
  loginRateLimit: LoginRateLimit;
}

const invalidLogin = 'the email or password is not correct';

/** Counts an attempt, or answers 429 with Retry-After when `key` has used up its failures. */
function startAttemptOrRefuse(throttle: LoginThrottle, key: string, reply: FastifyReply, what: string): void {
  const attempt = throttle.startAttempt(key);
  if (attempt.allowed) return;
  const seconds = Math.ceil(attempt.retryAfterMs / 1000);
  reply.header('retry-after', String(seconds));
  throw new RateLimitedError(`${what}; try again in ${seconds} s`);
}

/** Attempts are counted per address and per email together: one guesser cannot lock everyone out of an account. */
function loginKey(ip: string, email: string): string {
  return `${ip}|${email.trim().toLowerCase()}`;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { users, loginRateLimit },
) => {
  const throttle = new LoginThrottle(loginRateLimit);

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password; answers a session token',
        description:
          'The token is short-lived (AFTERCARE_SESSION_HOURS) and sent as `Authorization: Bearer <token>`. ' +
          'A wrong email and a wrong password get the same answer. Failed attempts are limited per address and ' +
          'email (429 with Retry-After past the limit); a successful login clears them.',
        security: [],
        body: loginBodySchema,
        response: { 200: loginResponseSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const key = loginKey(clientAddress(request), request.body.email);
      startAttemptOrRefuse(throttle, key, reply, 'too many login attempts');
      const session = await users.login(request.body.email, request.body.password);
      if (session === null) {
        request.log.info({ event: 'login_failed' }, 'login refused');
        throw new UnauthorizedError(invalidLogin, 'Bearer realm="aftercare"');
      }
      throttle.succeeded(key);
      request.log.info({ event: 'login', userId: session.user.id }, 'logged in');
      return session;
    },
  );

  app.post(
    '/auth/logout',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['auth'],
        summary: 'End the session whose token is sent (API tokens are revoked by an admin instead)',
        response: { 204: z.null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via === 'session') await users.logout(bearerToken(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; every session of the account ends and a new one is answered',
        description:
          'Only for people logged in with a password (a session token). A wrong current password is a 400 ' +
          'naming currentPassword; wrong guesses are limited per account as failed logins are (429 with Retry-After).',
        body: changePasswordBodySchema,
        response: { 200: loginResponseSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via !== 'session' || principal.userId === null)
        throw new ForbiddenError('only a person logged in with a password can change it; tokens have none');
      const key = `password|${principal.userId}`;
      startAttemptOrRefuse(throttle, key, reply, 'too many wrong passwords');
      const session = await users.changePassword(
        principal.userId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      if (session === null) throw new ValidationError('currentPassword: is not correct');
      throttle.succeeded(key);
      request.log.info({ event: 'password_changed', userId: principal.userId }, 'password changed');
      return session;
    },
  );

  app.get(
    '/auth/me',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['auth'],
        summary: 'Who the credentials stand for: role, and the customer or technician they are confined to',
        response: { 200: meResponseSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return {
        role: principal.role,
        via: principal.via,
        user: principal.userId === null ? null : await users.get(principal.userId),
        customerId: principal.customerId,
        technicianId: principal.technicianId,
        expiresAt: principal.expiresAt,
      };
    },
  );

  app.post(
    '/users',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Create an account (admins only)',
        body: createUserBodySchema,
        response: { 201: userSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = await users.create(request.body);
      request.log.info({ userId: user.id, role: user.role }, 'user created');
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/users',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Every account (admins only)',
        response: { 200: z.object({ items: z.array(userSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await users.list() }),
  );

  app.post(
    '/users/:id/disable',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Disable an account and end its sessions (admins only)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.disable(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/password',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Set a new password for an account and end its sessions (admins only)',
        params: idParamsSchema,
        body: setPasswordBodySchema,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.setPassword(request.params.id, request.body.password);
      request.log.info({ event: 'password_reset', userId: request.params.id }, 'password set by an admin');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/enable',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Let a disabled account log in again (admins only)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.enable(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
