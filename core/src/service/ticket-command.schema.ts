import { z } from 'zod';
import { deviceIdSchema, metricNameSchema, snakeCaseName } from '../ids.ts';
import { epochMsSchema, recordIdSchema } from './common.schema.ts';

/**
 * Remote troubleshooting on a ticket: the commands a device can be sent over
 * `aftercare/{deviceId}/commands` for the ticket's failure mode, and what became of those sent.
 * sent → answered (the device replied with a `command_result` event carrying the command id),
 * failed (the broker could not take it) or timed_out (no answer in time).
 */
export const ticketCommandStatuses = ['sent', 'answered', 'failed', 'timed_out'] as const;
export type TicketCommandStatus = (typeof ticketCommandStatuses)[number];

/** Command names as devices take them (core's deviceCommandSchema): snake_case, up to 64 characters. */
export const commandNameSchema = z
  .string()
  .regex(snakeCaseName, 'must be a snake_case command name such as reset_controller');

/** At most this many arguments per command: a command takes a handful, never an open-ended map. */
export const MAX_COMMAND_ARGS = 16;

export const commandArgsSchema = z
  .record(
    z.string().regex(snakeCaseName, 'argument names are snake_case'),
    z.union([z.number(), z.string().max(200), z.boolean()]),
  )
  .refine((args) => Object.keys(args).length <= MAX_COMMAND_ARGS, {
    message: `at most ${MAX_COMMAND_ARGS} arguments`,
  });
export type CommandArgs = z.infer<typeof commandArgsSchema>;

/** A command that applies to the ticket's device and failure mode. */
export const availableCommandSchema = z.object({
  command: commandNameSchema,
  description: z.string(),
  /** The failure mode it clears; null for a diagnostic command (ping). */
  clears: metricNameSchema.nullable(),
});
export type AvailableCommand = z.infer<typeof availableCommandSchema>;

export const ticketCommandSchema = z.object({
  /** The commandId the device echoes in its `command_result` event. */
  id: recordIdSchema,
  ticketId: recordIdSchema,
  deviceId: deviceIdSchema,
  command: commandNameSchema,
  args: commandArgsSchema.nullable(),
  sentAt: epochMsSchema,
  /** `user:<id>`, `token:<id>`, `admin` or `system:<part>`. */
  sentBy: z.string(),
  status: z.enum(ticketCommandStatuses),
  answeredAt: epochMsSchema.nullable(),
  /** The device's answer code: `ok`, `no_effect`, `unknown_command`, … */
  answerCode: z.string().nullable(),
  answerMessage: z.string().nullable(),
});
export type TicketCommand = z.infer<typeof ticketCommandSchema>;

/** GET /api/tickets/:id/commands */
export const ticketCommandsSchema = z.object({
  available: z.array(availableCommandSchema),
  /** Oldest first. */
  sent: z.array(ticketCommandSchema),
});
export type TicketCommands = z.infer<typeof ticketCommandsSchema>;

/** POST /api/tickets/:id/commands */
export const sendTicketCommandBodySchema = z.strictObject({
  command: commandNameSchema,
  args: commandArgsSchema.optional(),
});
export type SendTicketCommandBody = z.infer<typeof sendTicketCommandBodySchema>;
