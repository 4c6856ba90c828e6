import { ValidationError } from '@aftercare/core';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Every query parameter of the API takes one value. `?status=open&status=closed` reaches a schema as
 * a list, which zod refuses in words about its types ("expected string, received array", or every
 * option of an enum); the caller is told instead which parameter came more than once. Checked in the
 * validator, so it answers after authentication, as every other refusal of a query does.
 */
export function singleQueryValues<T>(compiler: FastifySchemaCompiler<T>): FastifySchemaCompiler<T> {
  return (route) => {
    const validate = compiler(route);
    if (route.httpPart !== 'querystring') return validate;
    return (data) => {
      const repeated =
        typeof data === 'object' && data !== null
          ? Object.entries(data).find(([, value]) => Array.isArray(value))
          : undefined;
      if (repeated === undefined) return validate(data);
      return {
        error: new ValidationError(
          `querystring.${repeated[0]}: is given ${(repeated[1] as unknown[]).length} times; give it once`,
          [repeated[0]],
        ),
      };
    };
  };
}
