import {
  idParamsSchema,
  sendTicketCommandBodySchema,
  ticketCommandSchema,
  ticketCommandsSchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { ticketScopeOf } from '../http/scope.ts';
import type { RemoteTroubleshooting } from '../operations/remote-commands.ts';
import { actorOf } from '../principal.ts';
import { roles } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface TicketCommandRoutesOptions {
  remote: RemoteTroubleshooting;
}

/**
 * Remote troubleshooting from a ticket. Anyone who may see the ticket sees the commands that apply
 * and what became of those sent; planners (and admins) send them, and so does the technician the
 * ticket is assigned to. A ticket the caller may not see answers 404, exactly as a missing one.
 */
export const ticketCommandRoutes: FastifyPluginAsyncZod<TicketCommandRoutesOptions> = async (
  app,
  { remote },
) => {
  app.get(
    '/tickets/:id/commands',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['tickets'],
        summary: 'Remote commands that apply to the ticket, and those sent with the devices’ answers',
        description:
          'A failure mode that a command can clear (a reset, a setting: the catalogue’s remote fix) offers that command; ' +
          'every device also answers `ping`. Sent commands are listed oldest first with their status: ' +
          'sent, answered (with the device’s answer code and message), failed, or timed_out.',
        params: idParamsSchema,
        response: { 200: ticketCommandsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => remote.commandsOf(request.params.id, ticketScopeOf(principalOf(request))),
  );

  app.post(
    '/tickets/:id/commands',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['tickets'],
        summary: 'Send a remote command to the ticket’s device over aftercare/{deviceId}/commands',
        description:
          'The command must be one the ticket offers. It is published with QoS 1 and a new commandId; the device answers ' +
          'on its events topic with a `command_result` event carrying that id, which is recorded here and in the ticket’s audit log. ' +
          'When the risk of a predictive ticket clears after a remote fix answered `ok`, the ticket is resolved without a visit.',
        params: idParamsSchema,
        body: sendTicketCommandBodySchema,
        response: { 201: ticketCommandSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const sent = await remote.send(
        request.params.id,
        request.body,
        actorOf(principal),
        ticketScopeOf(principal),
      );
      request.log.info(
        { ticketId: sent.ticketId, deviceId: sent.deviceId, commandId: sent.id, status: sent.status },
        'ticket command sent',
      );
      return reply.code(201).send(sent);
    },
  );
};
