import { errorResponseSchema } from '@aftercare/core';

/** The error statuses a route can answer, for its schema: `response: { 200: …, ...errorResponses(401, 404) }`. */
export function errorResponses<const S extends number>(
  ...statuses: S[]
): Record<S, typeof errorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponseSchema])) as Record<
    S,
    typeof errorResponseSchema
  >;
}
