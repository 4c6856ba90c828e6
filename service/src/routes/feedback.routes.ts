import {
  ConflictError,
  decideWarrantyClaimBodySchema,
  FEEDBACK_WINDOW_DAYS,
  feedbackSchema,
  fileWarrantyClaimBodySchema,
  giveFeedbackBodySchema,
  idParamsSchema,
  listedFeedbackSchema,
  listFeedbackQuerySchema,
  listWarrantyClaimsQuerySchema,
  pageSchema,
  resolveComplaintBodySchema,
  warrantyClaimSchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { actorOf, customerScope } from '../principal.ts';
import type { FeedbackRepository } from '../repositories/feedback-repository.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface FeedbackRoutesOptions {
  feedback: FeedbackRepository;
  tickets: TicketRepository;
  clock?: () => number;
}

/** Customers' feedback on closed tickets, and warranty / AMC claims for covered work. */
export const feedbackRoutes: FastifyPluginAsyncZod<FeedbackRoutesOptions> = async (
  app,
  { feedback, tickets, clock = Date.now },
) => {
  app.post(
    '/tickets/:id/feedback',
    {
      preValidation: allow('customer'),
      schema: {
        tags: ['feedback'],
        summary: 'Rate a closed ticket of your own: CSAT 1–5, NPS 0–10, and whether it is a complaint',
        params: idParamsSchema,
        body: giveFeedbackBodySchema,
        response: { 201: feedbackSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const customerId = customerScope(principal)!;
      // The demo's history records old ratings through the repository; a customer rates recent visits.
      const ticket = await tickets.getVisible(request.params.id, { customerId });
      if (ticket.closedAt !== null && clock() - ticket.closedAt > FEEDBACK_WINDOW_DAYS * 86_400_000)
        throw new ConflictError(
          `ticket ${ticket.id} was closed more than ${FEEDBACK_WINDOW_DAYS} days ago: visits are rated within ${FEEDBACK_WINDOW_DAYS} days`,
        );
      return reply.code(201).send(await feedback.give(request.params.id, customerId, request.body));
    },
  );

  app.get(
    '/feedback',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['feedback'],
        summary: 'Feedback, newest first; a customer lists its own',
        description:
          "Each with the job it is about (title, device, when it was done) and the customer's name. `complaint=true` keeps complaints; `resolved=false` keeps the open ones and `resolved=true` the closed ones (complaints only); `commented=true` keeps feedback with a comment; `dir=asc` lists the oldest first. Closed complaints (`resolved=true`) are ordered by when they were closed.",
        querystring: listFeedbackQuerySchema,
        response: { 200: pageSchema(listedFeedbackSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const customerId = listedCustomer(principalOf(request), request.query.customerId);
      if (customerId === null)
        return { items: [], total: 0, limit: request.query.limit, offset: request.query.offset };
      return feedback.list({ ...request.query, customerId });
    },
  );

  app.post(
    '/feedback/:id/resolution',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['feedback'],
        summary: 'Close a complaint with what was done about it',
        description:
          'Records the resolution, who closed it and when (the complaint resolution time runs from the feedback to here). A complaint closed once is not closed again: 409.',
        params: idParamsSchema,
        body: resolveComplaintBodySchema,
        response: { 200: feedbackSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      feedback.resolveComplaint(request.params.id, request.body.resolution, actorOf(principalOf(request)).id),
  );

  app.post(
    '/tickets/:id/warranty-claim',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['feedback'],
        summary: 'File the warranty or AMC claim for a covered ticket once its work is done',
        params: idParamsSchema,
        body: fileWarrantyClaimBodySchema,
        response: { 201: warrantyClaimSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await tickets.getVisible(request.params.id, {});
      return reply.code(201).send(await feedback.fileClaim(request.params.id, request.body.labourCents));
    },
  );

  app.get(
    '/warranty-claims',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['feedback'],
        summary: 'Warranty and AMC claims, newest first',
        querystring: listWarrantyClaimsQuerySchema,
        response: { 200: pageSchema(warrantyClaimSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => feedback.listClaims(request.query),
  );

  app.post(
    '/warranty-claims/:id/decision',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['feedback'],
        summary: 'Approve or reject a submitted claim',
        params: idParamsSchema,
        body: decideWarrantyClaimBodySchema,
        response: { 200: warrantyClaimSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => feedback.decideClaim(request.params.id, request.body.status, request.body.note),
  );
};
