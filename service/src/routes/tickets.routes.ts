import {
  addTicketNoteBodySchema,
  assignTicketBodySchema,
  createTicketBodySchema,
  defaultTicketSortDirection,
  idParamsSchema,
  type ListedTicket,
  listedTicketSchema,
  listTicketsSortedQuerySchema,
  PART_HANDOVER_MINUTES,
  pageSchema,
  partUsedSchema,
  recordPartUsedBodySchema,
  ticketDetailSchema,
  ticketSchema,
  ticketTransitionBodySchema,
  ValidationError,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError } from '../errors.ts';
import { allow, principalOf } from '../http/authentication.ts';
import { ticketScopeOf } from '../http/scope.ts';
import { PlanningData } from '../operations/planning-data.ts';
import { reassignTicket } from '../operations/reassign-ticket.ts';
import { actorOf } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import { roles } from '../schemas.ts';
import { customerTicketView } from '../tickets/customer-ticket-view.ts';
import { onceEach, placeOf, placeReads } from '../tickets/ticket-place.ts';
import { assertBookable, assertWithinWorkingHours } from './appointment-rules.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer, listedTechnician } from './list-filters.ts';

/**
 * What a customer's report may not set: the service decides how urgent it is (from the contract and
 * the device) and who can fix it (from the fault named, if any).
 */
const customerTriagedFields = ['priority', 'requiredSkill'] as const;

export interface TicketRoutesOptions {
  tickets: TicketRepository;
  devices: DeviceRegistry;
  /** For a reassignment (a part reserved on the previous van follows the job) and the technician's hours. */
  repositories: ServiceRepositories;
  clock?: () => number;
}

/**
 * Work orders. Planners and admins see and change all of them; a technician sees the jobs assigned
 * to it and moves them along (accept, start, notes, parts, resolve); a customer sees its own tickets,
 * reports problems with its own devices and may cancel a ticket it opened before it is scheduled.
 * A ticket the caller may not see answers 404, exactly as a missing one.
 */
export const ticketRoutes: FastifyPluginAsyncZod<TicketRoutesOptions> = async (
  app,
  { tickets, devices, repositories, clock = Date.now },
) => {
  const technicianOf = async (id: string | null) =>
    id === null ? null : repositories.partners.getTechnician(id);

  app.get(
    '/tickets',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['tickets'],
        summary:
          'List tickets, filtered and sorted (newest first by default); each caller sees only what its role may',
        description:
          '`sort`: created, updated, sla (due time), priority or appointment; `dir`: asc or desc ' +
          '(default: newest first, soonest due, highest priority, earliest appointment). Tickets without an appointment come last. ' +
          "`createdFrom` and `createdTo` keep the tickets opened in [createdFrom, createdTo). A customer naming another customer's id lists nothing. " +
          "`include=place` adds each ticket's customer and site, `include=technician` the name of its technician (`include=place,technician` both).",
        querystring: listTicketsSortedQuerySchema,
        response: { 200: pageSchema(listedTicketSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { status, sort, dir, include, ...rest } = request.query;
      if (
        rest.createdFrom !== undefined &&
        rest.createdTo !== undefined &&
        rest.createdFrom >= rest.createdTo
      )
        throw new ValidationError('querystring.createdFrom: must be before createdTo');
      const principal = principalOf(request);
      const customerId = listedCustomer(principal, rest.customerId);
      const technicianId = listedTechnician(principal, rest.technicianId);
      if (customerId === null || technicianId === null)
        return { items: [], total: 0, limit: rest.limit, offset: rest.offset };
      const order = { by: sort, dir: dir ?? defaultTicketSortDirection[sort] };
      // The caller's own scope wins over the filter it sent.
      const page = await tickets.list({
        ...rest,
        customerId,
        technicianId,
        status,
        order,
        ...ticketScopeOf(principal),
      });
      if (include === undefined) return page;
      // Only tickets the caller may see are listed: their customers and sites are theirs to read, and
      // the name of who comes is owed even to a customer, who may not read technicians.
      const reads = onceEach(placeReads(repositories.customers, devices));
      const names = new Map<string, Promise<string | null>>();
      const nameOf = (id: string) => {
        if (!names.has(id))
          names.set(
            id,
            technicianOf(id).then((t) => t?.name ?? null),
          );
        return names.get(id)!;
      };
      const items: ListedTicket[] = await Promise.all(
        page.items.map(async (t) => ({
          ...t,
          ...(include.includes('place') ? { place: await placeOf(t, reads) } : {}),
          ...(include.includes('technician')
            ? { technicianName: t.technicianId === null ? null : await nameOf(t.technicianId) }
            : {}),
        })),
      );
      return { ...page, items };
    },
  );

  app.get(
    '/tickets/:id',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['tickets'],
        summary: 'A ticket with its evidence, troubleshooting steps, parts, notes and audit timeline',
        description:
          "A customer reads its own tickets without the office's side: no notes, reservations or transfers; audit entries name the actor's role only, keep only the reasons owed to the customer (resolved, closed, cancelled, and its own) and no data.",
        params: idParamsSchema,
        response: { 200: ticketDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const detail = await tickets.detail(request.params.id, ticketScopeOf(principal));
      const ticket = principal.role === 'customer' ? customerTicketView(detail) : detail;
      if (!repositories) return ticket;
      // Only a caller who may see the ticket gets here: its customer and site come with it, and the
      // name of who comes (a customer may not read technicians, but is owed that).
      const technician =
        ticket.technicianId === null ? null : await repositories.partners.getTechnician(ticket.technicianId);
      return {
        ...ticket,
        place: await placeOf(ticket, placeReads(repositories.customers, devices)),
        technicianName: technician?.name ?? null,
      };
    },
  );

  app.post(
    '/tickets',
    {
      preValidation: allow('admin', 'planner', 'customer'),
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket; a customer reports a problem with one of its own devices',
        description:
          'Coverage (in warranty, AMC, chargeable) and the SLA due time are decided now, from the device and its contract. ' +
          'With a failure mode the ticket carries the skill and troubleshooting steps of the knowledge base.',
        body: createTicketBodySchema,
        response: { 201: ticketSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.role === 'customer' && request.body.kind !== 'corrective')
        throw new ForbiddenError('a customer may report problems (corrective tickets) only');
      if (principal.role === 'customer')
        for (const field of customerTriagedFields)
          if (request.body[field] !== undefined)
            throw new ValidationError(
              `body.${field}: the service sets this for a customer's report; say what is wrong in description`,
            );
      const device = await findVisibleDevice(devices, principal, request.body.deviceId);
      const ticket = await tickets.create({ ...request.body, deviceId: device.id }, actorOf(principal));
      request.log.info({ ticketId: ticket.id, deviceId: device.id, kind: ticket.kind }, 'ticket opened');
      return reply.code(201).send(ticket);
    },
  );

  app.post(
    '/tickets/:id/transitions',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['tickets'],
        summary: 'Move a ticket along its lifecycle',
        description:
          'open → scheduled → dispatched → on_site → resolved → verified → closed; cancelled from open, scheduled or dispatched; ' +
          'flagged_for_review from resolved. Only the platform verifies a resolved ticket (its fix verifier, from the readings); ' +
          'the office closes one unverified. Send `version` to refuse acting on a stale view (409). ' +
          'Scheduling needs a qualified technician and an appointment inside their working hours (or `outsideWorkingHours: true` with a reason for agreed overtime) ' +
          'that neither overlaps another of their visits nor leaves less than the drive to or from one elsewhere (409 naming it; ' +
          '`GET /api/technicians/:id/visits` lists them); ' +
          "work starts (on_site) on the appointment's day at the earliest, by the technician's calendar (409 naming the booked day; re-book to do it sooner); " +
          'cancelling, resolving and flagging need a reason.',
        params: idParamsSchema,
        body: ticketTransitionBodySchema,
        response: { 200: ticketSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const ticket = await tickets.getVisible(request.params.id, ticketScopeOf(principal));
      const { version, outsideWorkingHours, ...input } = request.body;
      assertBookable(input.appointment, clock());
      const technicianId = input.technicianId ?? ticket.technicianId;
      assertWithinWorkingHours(await technicianOf(technicianId), input.appointment, {
        outsideWorkingHours,
        reason: input.reason,
      });
      return tickets.transition(
        request.params.id,
        { ...input, expectedVersion: version, refuseClashes: true },
        actorOf(principal),
      );
    },
  );

  app.put(
    '/tickets/:id/assignment',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['tickets'],
        summary: '(Re)assign a technician and appointment; a dispatched job goes back to scheduled',
        description:
          'On a reassignment, a part reserved on the previous technician’s van follows the job: that reservation is ' +
          'released and the part sourced for the new technician (their van, a depot on the way, the warehouse, or a ' +
          'transfer arriving before the appointment); it stays on the previous van when nothing else arrives in time. ' +
          `A part on its way that would now arrive less than ${PART_HANDOVER_MINUTES} minutes before the appointment is replaced by a unit that arrives in time ` +
          '(the late delivery is called back, as the audit log says); when none can, it keeps coming and the ticket page flags it. ' +
          'The appointment lies inside the technician’s working hours, in their own time zone, unless `outsideWorkingHours: true` ' +
          'comes with a reason (agreed overtime), which the audit log keeps. It may not overlap another of their visits, nor leave less ' +
          'than the drive to or from one elsewhere (409 naming that visit; `GET /api/technicians/:id/visits` lists them); visits at the ' +
          'same site may follow each other with no gap, as one trip.',
        params: idParamsSchema,
        body: assignTicketBodySchema,
        response: { 200: ticketSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { version, outsideWorkingHours, ...input } = request.body;
      assertBookable(input.appointment, clock());
      assertWithinWorkingHours(await technicianOf(input.technicianId), input.appointment, {
        outsideWorkingHours,
        reason: input.reason,
      });
      const assignment = { ...input, expectedVersion: version, refuseClashes: true };
      const actor = actorOf(principalOf(request));
      const { ticket, moves, partsRefused, lateParts } = await reassignTicket(
        new PlanningData(repositories),
        request.params.id,
        assignment,
        actor,
        { now: clock() },
      );
      if (moves.length > 0)
        request.log.info({ ticketId: ticket.id, moves }, 'reserved parts followed the reassigned job');
      if (partsRefused !== null)
        request.log.warn(
          { ticketId: ticket.id, reason: partsRefused },
          'reserved parts could not follow the reassigned job',
        );
      if (lateParts.length > 0)
        request.log.info(
          { ticketId: ticket.id, lateParts },
          'parts on their way were too late for the new appointment',
        );
      return ticket;
    },
  );

  app.post(
    '/tickets/:id/notes',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['tickets'],
        summary: 'Add a note to a ticket (a technician to its own jobs)',
        params: idParamsSchema,
        body: addTicketNoteBodySchema,
        response: { 201: ticketSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await tickets.getVisible(request.params.id, ticketScopeOf(principal));
      return reply
        .code(201)
        .send(await tickets.addNote(request.params.id, request.body.text, actorOf(principal)));
    },
  );

  app.post(
    '/tickets/:id/parts-used',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['tickets'],
        summary: 'Record a part fitted on the job: a reservation consumed, or units from a location',
        description:
          "The part must be one the catalogue lists for the ticket's device model (400 `sku`). A technician takes " +
          'loose units only from their own van or from a depot or warehouse (400 `locationId`); planners and admins ' +
          'record from any location. A part the catalogue marks `returnRequired` needs `removedSerial` (400).',
        params: idParamsSchema,
        body: recordPartUsedBodySchema,
        response: { 201: partUsedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await tickets.getVisible(request.params.id, ticketScopeOf(principal));
      return reply
        .code(201)
        .send(await tickets.recordPartUsed(request.params.id, request.body, actorOf(principal)));
    },
  );
};
