import {
  createCustomerBodySchema,
  createSiteBodySchema,
  customerSchema,
  idParamsSchema,
  listCustomersQuerySchema,
  listSitesQuerySchema,
  NotFoundError,
  pageSchema,
  siteSchema,
  updateCustomerBodySchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { customerScope } from '../principal.ts';
import type { CustomerRepository } from '../repositories/customer-repository.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface CustomerRoutesOptions {
  customers: CustomerRepository;
}

/** Customers and their sites. A customer sees itself only; another customer's id is "not found". */
export const customerRoutes: FastifyPluginAsyncZod<CustomerRoutesOptions> = async (app, { customers }) => {
  const visibleCustomer = async (principal: ReturnType<typeof principalOf>, id: string) => {
    const scope = customerScope(principal);
    const customer = scope !== undefined && scope !== id ? null : await customers.get(id);
    if (customer === null) throw new NotFoundError('customer', id);
    return customer;
  };

  app.post(
    '/customers',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['customers'],
        summary: 'Create a customer',
        body: createCustomerBodySchema,
        response: { 201: customerSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await customers.create(request.body)),
  );

  app.get(
    '/customers',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['customers'],
        summary: 'List customers by name; a customer lists itself',
        querystring: listCustomersQuerySchema,
        response: { 200: pageSchema(customerSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => customers.list({ ...request.query, id: customerScope(principalOf(request)) }),
  );

  app.get(
    '/customers/:id',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['customers'],
        summary: 'A customer',
        params: idParamsSchema,
        response: { 200: customerSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => visibleCustomer(principalOf(request), request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['customers'],
        summary: "Change a customer's name, kind or contact",
        params: idParamsSchema,
        body: updateCustomerBodySchema,
        response: { 200: customerSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => customers.update(request.params.id, request.body),
  );

  app.post(
    '/customers/:id/sites',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['customers'],
        summary: 'Add a site (an address with a position) to a customer',
        params: idParamsSchema,
        body: createSiteBodySchema,
        response: { 201: siteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await customers.createSite(request.params.id, request.body)),
  );

  app.get(
    '/sites',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['customers'],
        summary: "List sites; a customer lists its own (another customer's id lists nothing)",
        querystring: listSitesQuerySchema,
        response: { 200: pageSchema(siteSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const customerId = listedCustomer(principalOf(request), request.query.customerId);
      if (customerId === null) return { items: [], total: 0, limit, offset };
      return customers.listSites({ ...request.query, customerId });
    },
  );

  app.get(
    '/sites/:id',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['customers'],
        summary: 'A site',
        params: idParamsSchema,
        response: { 200: siteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const site = await customers.getSite(request.params.id);
      const scope = customerScope(principalOf(request));
      if (site === null || (scope !== undefined && site.customerId !== scope))
        throw new NotFoundError('site', request.params.id);
      return site;
    },
  );
};
