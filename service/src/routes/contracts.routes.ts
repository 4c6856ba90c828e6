import {
  amcPlanSchema,
  contractSchema,
  contractVisitSchema,
  createAmcPlanBodySchema,
  createContractBodySchema,
  idParamsSchema,
  listContractsQuerySchema,
  listContractVisitsQuerySchema,
  NotFoundError,
  pageSchema,
  planContractVisitsBodySchema,
  renewalsDueQuerySchema,
  renewContractBodySchema,
  setRenewalBodySchema,
  ticketSchema,
  ValidationError,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow, principalOf } from '../http/authentication.ts';
import { actorOf, customerScope } from '../principal.ts';
import type { ContractRepository } from '../repositories/contract-repository.ts';
import type { ContractVisitRepository } from '../repositories/contract-visit-repository.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface ContractRoutesOptions {
  contracts: ContractRepository;
  visits: ContractVisitRepository;
}

const office = ['admin', 'planner'] as const;

/** AMC plans, contracts, their visits and renewals. A customer sees its own contracts and visits only. */
export const contractRoutes: FastifyPluginAsyncZod<ContractRoutesOptions> = async (
  app,
  { contracts, visits },
) => {
  app.post(
    '/contract-plans',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Create an AMC plan: visits a year, SLA response hours, what it covers',
        body: createAmcPlanBodySchema,
        response: { 201: amcPlanSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await contracts.createPlan(request.body)),
  );

  app.get(
    '/contract-plans',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['contracts'],
        summary: 'The AMC plans on offer',
        response: { 200: z.object({ items: z.array(amcPlanSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await contracts.listPlans() }),
  );

  app.post(
    '/contracts',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: "Put some of a customer's devices under an AMC contract",
        description:
          'A device is under one contract at a time: a term [startsAt, endsAt) overlapping another contract of one of ' +
          'the devices answers 409 naming that contract. A contract may start when the previous one ends, as a renewal does.',
        body: createContractBodySchema,
        response: { 201: contractSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await contracts.create(request.body)),
  );

  app.get(
    '/contracts',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['contracts'],
        summary: "List contracts; a customer lists its own (another customer's id lists nothing)",
        querystring: listContractsQuerySchema,
        response: { 200: pageSchema(contractSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const customerId = listedCustomer(principalOf(request), request.query.customerId);
      if (customerId === null) return { items: [], total: 0, limit, offset };
      return contracts.list({ ...request.query, customerId });
    },
  );

  app.get(
    '/contracts/renewals-due',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Contracts ending soon that are not renewed or declined, soonest first',
        description:
          'Each with its renewal status as stored: one the nightly AMC job has not marked `due` yet (it does so ' +
          'within its own window) is still `not_due`. Reading the list changes nothing.',
        querystring: renewalsDueQuerySchema,
        response: { 200: pageSchema(contractSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => contracts.renewalsDue(request.query.withinDays, request.query),
  );

  app.get(
    '/contracts/:id',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['contracts'],
        summary: 'A contract with its devices',
        params: idParamsSchema,
        response: { 200: contractSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const contract = await contracts.get(request.params.id);
      const scope = customerScope(principalOf(request));
      if (contract === null || (scope !== undefined && contract.customerId !== scope))
        throw new NotFoundError('contract', request.params.id);
      return contract;
    },
  );

  app.patch(
    '/contracts/:id/renewal',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Record where the renewal stands: due, offered or declined',
        params: idParamsSchema,
        body: setRenewalBodySchema,
        response: { 200: contractSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      contracts.setRenewalStatus(request.params.id, request.body.renewalStatus, request.body.expectedStatus),
  );

  app.post(
    '/contracts/:id/renewals',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Renew: a new contract for the same devices, starting when this one ends',
        params: idParamsSchema,
        body: renewContractBodySchema,
        response: { 201: contractSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await contracts.renew(request.params.id, request.body)),
  );

  app.post(
    '/contracts/:id/visits',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Plan entitled visits (idempotent: a visit already planned is returned as it is)',
        params: idParamsSchema,
        body: planContractVisitsBodySchema,
        response: {
          200: z.object({ items: z.array(contractVisitSchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await visits.planVisits(request.params.id, request.body.visits) }),
  );

  app.get(
    '/contract-visits',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['contracts'],
        summary: 'Contract visits by due date; a customer lists its own',
        description:
          '`dueFrom` and `dueTo` keep the visits whose window is still open at dueFrom and opens before dueTo; ' +
          'dueFrom after dueTo answers 400.',
        querystring: listContractVisitsQuerySchema,
        response: { 200: pageSchema(contractVisitSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { dueFrom, dueTo } = request.query;
      // Both bounds filter by overlap with a visit's window, so equal bounds ask for the visits due at that instant.
      if (dueFrom !== undefined && dueTo !== undefined && dueFrom > dueTo)
        throw new ValidationError('querystring.dueFrom: must not be after dueTo');
      return visits.listVisits({ ...request.query, customerId: customerScope(principalOf(request)) });
    },
  );

  app.post(
    '/contract-visits/:id/ticket',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary: 'Open the amc_visit ticket that carries out a planned visit',
        params: idParamsSchema,
        response: { 201: ticketSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await visits.openVisitTicket(request.params.id, actorOf(principalOf(request)))),
  );
};
