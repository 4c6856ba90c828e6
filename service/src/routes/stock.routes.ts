import {
  createStockLocationBodySchema,
  createTransferBodySchema,
  idParamsSchema,
  listOutstandingPartReturnsQuerySchema,
  listPartReturnsQuerySchema,
  listReservationsQuerySchema,
  listStockLocationsQuerySchema,
  listTransfersQuerySchema,
  pageSchema,
  partReturnDueSchema,
  partReturnReceivedSchema,
  partReturnSchema,
  receiveStockBodySchema,
  recordPartReturnBodySchema,
  reservationSchema,
  reservePartBodySchema,
  stockLevelSchema,
  stockLocationSchema,
  transferSchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow, principalOf } from '../http/authentication.ts';
import { ticketScopeOf } from '../http/scope.ts';
import { actorOf, technicianScope } from '../principal.ts';
import type { StockRepository } from '../repositories/stock-repository.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import type { TransferRepository } from '../repositories/transfer-repository.ts';
import { errorResponses } from './error-responses.ts';

export interface StockRoutesOptions {
  stock: StockRepository;
  transfers: TransferRepository;
  tickets: TicketRepository;
}

const office = ['admin', 'planner'] as const;
const field = ['admin', 'planner', 'technician'] as const;

/** Stock locations and levels, reservations against tickets, transfers, defective-part returns. */
export const stockRoutes: FastifyPluginAsyncZod<StockRoutesOptions> = async (
  app,
  { stock, transfers, tickets },
) => {
  app.post(
    '/stock-locations',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Create a stock location: the central warehouse, a partner depot or a van',
        body: createStockLocationBodySchema,
        response: { 201: stockLocationSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await stock.createLocation(request.body)),
  );

  app.get(
    '/stock-locations',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'List stock locations',
        querystring: listStockLocationsQuerySchema,
        response: { 200: pageSchema(stockLocationSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => stock.listLocations(request.query),
  );

  app.get(
    '/stock-locations/:id/stock',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'What a location holds: on hand, reserved and available per SKU',
        params: idParamsSchema,
        response: {
          200: z.object({ items: z.array(stockLevelSchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await stock.stockAt(request.params.id) }),
  );

  app.post(
    '/stock-locations/:id/receipts',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Goods received into a location',
        params: idParamsSchema,
        body: receiveStockBodySchema,
        response: { 200: stockLevelSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => stock.receive(request.params.id, request.body.sku, request.body.quantity),
  );

  app.get(
    '/reservations',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Part reservations, newest first',
        querystring: listReservationsQuerySchema,
        response: { 200: pageSchema(reservationSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => stock.listReservations(request.query),
  );

  app.post(
    '/tickets/:id/reservations',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Reserve a part at a location for a ticket; 409 when too few units are unreserved',
        params: idParamsSchema,
        body: reservePartBodySchema,
        response: { 201: reservationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { sku, locationId, quantity } = request.body;
      const reservation = await stock.reservePart(request.params.id, sku, locationId, {
        quantity,
        actor: actorOf(principalOf(request)),
      });
      return reply.code(201).send(reservation);
    },
  );

  app.post(
    '/reservations/:id/release',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Put reserved units back on the shelf',
        params: idParamsSchema,
        response: { 200: reservationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => stock.releaseReservation(request.params.id, { actor: actorOf(principalOf(request)) }),
  );

  app.get(
    '/transfers',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Transfers between locations, newest first',
        querystring: listTransfersQuerySchema,
        response: { 200: pageSchema(transferSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => transfers.listTransfers(request.query),
  );

  app.post(
    '/transfers',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary:
          'Send unreserved units to another location; with a ticket, they are reserved for it on arrival',
        body: createTransferBodySchema,
        response: { 201: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await transfers.createTransfer(request.body, { actor: actorOf(principalOf(request)) })),
  );

  app.post(
    '/transfers/:id/arrival',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'The transfer arrived: its units count at the destination',
        description:
          'Planners and admins receive any transfer. A technician receives only a transfer bound to a ticket assigned ' +
          'to them (the part for their job); any other transfer answers 404, as a missing one, so ids do not leak.',
        params: idParamsSchema,
        response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return transfers.markTransferArrived(request.params.id, {
        actor: actorOf(principal),
        technicianId: technicianScope(principal),
      });
    },
  );

  app.post(
    '/transfers/:id/cancellation',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Call a transfer back: its units count at the origin again',
        params: idParamsSchema,
        response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transfers.cancelTransfer(request.params.id, { actor: actorOf(principalOf(request)) }),
  );

  app.post(
    '/part-returns',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'A defective part received back from a job (only a part used on that ticket)',
        body: recordPartReturnBodySchema,
        response: { 201: partReturnSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tickets.getVisible(request.body.ticketId, ticketScopeOf(principalOf(request)));
      return reply.code(201).send(await transfers.recordPartReturn(request.body));
    },
  );

  app.get(
    '/part-returns',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Defective parts received back',
        querystring: listPartReturnsQuerySchema,
        response: { 200: pageSchema(partReturnSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => transfers.listPartReturns(request.query),
  );

  app.get(
    '/part-returns/outstanding',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary:
          'Defective parts due back: fitted parts whose return is required and not received, oldest first',
        description:
          'One row per fitting of a part the catalogue marks `returnRequired`. A return received for the same ticket and ' +
          'SKU answers it when it carries the serial the technician recorded as taken out (any serial when none was ' +
          'recorded); a return with another serial leaves the fitting due. Each row names the job: ticket, device, ' +
          'customer, the assigned technician and their partner. With `fittedBefore`, only fittings made before it: ' +
          'its `total` is the number of returns late by that measure.',
        querystring: listOutstandingPartReturnsQuerySchema,
        response: { 200: pageSchema(partReturnDueSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => transfers.listOutstandingReturns(request.query),
  );

  app.get(
    '/part-returns/received',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary:
          'Defective parts received back, latest first, with the job, the part and where each was received',
        querystring: listPartReturnsQuerySchema,
        response: { 200: pageSchema(partReturnReceivedSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => transfers.listReceivedReturns(request.query),
  );
};
