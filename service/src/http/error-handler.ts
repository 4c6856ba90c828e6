import { STATUS_CODES } from 'node:http';
import { AftercareError } from '@aftercare/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { UnauthorizedError } from '../errors.ts';

const statusByCode: Record<string, number> = {
  VALIDATION_FAILED: 400,
  QUERY_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  STALE_VERSION: 409,
  INSUFFICIENT_STOCK: 409,
  RATE_LIMITED: 429,
};

/**
 * Outages of what the service reads through: the caller may retry. Their own messages can name
 * internal hosts, so the client gets a fixed sentence and the log gets the rest.
 */
const unavailableByCode: Record<string, string> = {
  INGEST_STORE_UNAVAILABLE: 'the telemetry store is not answering; try again shortly',
};

function sendError(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  return reply
    .code(statusCode)
    .send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message });
}

/** zod's paths turned into what the user sent: `body.location.lat: …`, `querystring.from: …`. */
function describeValidation(
  context: string | undefined,
  issues: readonly { instancePath: string; message?: string | undefined }[],
): string {
  const fieldOf = (issue: { instancePath: string }) =>
    [context ?? 'request', ...issue.instancePath.split('/').filter(Boolean)].join('.');
  return issues
    .slice(0, 5)
    .map((issue) => {
      const message = (issue.message ?? 'is not valid')
        .replace(/^Invalid input: expected (.+), received undefined$/, 'is required ($1)')
        // A query parameter read as a number that is not one ("limit=abc").
        .replace(/^Invalid input: expected number, received NaN$/, 'must be a number')
        // A list in a body where one value is read (a query's repeated parameter is caught before).
        .replace(/^Invalid input: expected (\w+), received array$/, 'must be a $1, not a list')
        // A number past what JavaScript counts exactly.
        .replace(/^Too big: expected (?:int|number) to be <=9007199254740991$/, 'is too large');
      return `${fieldOf(issue)}: ${message}`;
    })
    .join('; ');
}

const namedField = /^([A-Za-z]\w*)(?:\.\w+)*: /;
const requestParts = new Set(['body', 'querystring', 'params', 'headers', 'request']);

/**
 * The domain names the field it refuses as the API's bodies spell it (`failureMode: …`), not knowing
 * which request carried it; the caller reads the same place as for a schema's refusal
 * (`body.failureMode: …`): a body's field on a write, a query parameter on a read.
 */
function locateField(message: string, method: string): string {
  const field = namedField.exec(message)?.[1];
  if (field === undefined || requestParts.has(field)) return message;
  return `${method === 'GET' || method === 'HEAD' ? 'querystring' : 'body'}.${message}`;
}

/**
 * The one place errors become responses: every error body is `{ statusCode, error, code, message }`
 * with a message the caller can act on; anything unexpected is logged with its stack and answered
 * with a bare 500, so internals never reach a client.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendError(
      reply,
      400,
      'VALIDATION_FAILED',
      describeValidation(error.validationContext, error.validation),
    );
  }
  if (error instanceof AftercareError) {
    const unavailable = unavailableByCode[error.code];
    if (unavailable !== undefined) {
      request.log.warn({ err: error }, 'dependency unavailable');
      return sendError(reply, 503, error.code, unavailable);
    }
    if (error instanceof UnauthorizedError) reply.header('www-authenticate', error.challenge);
    const status = statusByCode[error.code];
    // Only codes known to be the caller's doing become 4xx; any other error of ours (a store that
    // refused a query, say) is a server fault whose message may name internals.
    if (status !== undefined) {
      const message =
        error.code === 'VALIDATION_FAILED' ? locateField(error.message, request.method) : error.message;
      return sendError(reply, status, error.code, message);
    }
  }
  // fastify's own client errors (malformed JSON, body too large, wrong content type) are meant for the caller.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, error.statusCode, error.code ?? 'BAD_REQUEST', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'INTERNAL', 'internal error');
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    404,
    'ROUTE_NOT_FOUND',
    `there is no route ${request.method} ${request.url.split('?')[0]}`,
  );
}
