import {
  addTicketNoteBodySchema,
  appointmentSchema,
  assignTicketBodySchema,
  commandNameSchema,
  createTicketBodySchema,
  dispatchPreviewBodySchema,
  dispatchReplanBodySchema,
  dispatchRunningLateBodySchema,
  epochMsSchema,
  giveFeedbackBodySchema,
  isTimeZone,
  loginBodySchema,
  passwordSchema,
  planningDateSchema,
  recordIdSchema,
  recordPartUsedBodySchema,
  resolveComplaintBodySchema,
  shortTitle,
  skuSchema,
  ticketTransitionBodySchema,
} from '@aftercare/core';
import { z } from 'zod';
import type { Parser } from './api.ts';
import { wallTimeToEpoch } from './wall-clock.ts';

/**
 * The console's form actions read their FormData through these schemas. Each field is checked with
 * the rule core gives the API body it ends up in (a record id, a ticket status, CSAT 1–5, a note of
 * up to 4,000 characters…), so the console and the service cannot disagree on what is valid; what
 * the console adds is the plain-English answer the person who filled in the form sees, one per field,
 * and the few rules only a form has (a time of day, a visit length, a checkbox).
 *
 * Every text field is trimmed and an empty one counts as not given: core's rule decides whether it
 * may be left out. A form's first failing field is the one answered (fields are checked in the
 * order of the form; checks across fields run once every field is right).
 */

/** The form's text fields; a field sent twice counts once, a file counts as not sent. */
export function formValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string' && !(name in values)) values[name] = value;
  }
  return values;
}

export type FormParse<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      /** The field to fix, e.g. `csat`; '' when the problem is the form as a whole. */
      field: string;
      message: string;
      /** What the form held, to fill it in again. */
      values: Record<string, string>;
    };

/** Parses a form with `schema`: the typed value, or the first thing wrong with it in the form's words. */
export function parseForm<T>(schema: Parser<T>, data: FormData): FormParse<T> {
  const values = formValues(data);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    field: issue ? issue.path.map(String).join('.') : '',
    message: issue?.message ?? 'Check the form and try again.',
    values,
  };
}

/** What to say when a field breaks its rule: one message, or one for too long and one for the rest. */
type Words = string | { tooLong: string; otherwise: string };

/** `rule` (core's, where core has one), answering a value that breaks it with `words`. */
function checked<T>(rule: z.ZodType<T>, words: Words) {
  return z.unknown().transform((value, ctx): T => {
    const result = rule.safeParse(value);
    if (result.success) return result.data;
    const tooLong = result.error.issues[0]?.code === 'too_big';
    ctx.addIssue({
      code: 'custom',
      message: typeof words === 'string' ? words : tooLong ? words.tooLong : words.otherwise,
    });
    return z.NEVER;
  });
}

/** A text field, trimmed; an empty or missing one is undefined for the rule. */
function text(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

/** A text field checked by `rule`. */
function field<T>(rule: z.ZodType<T>, words: Words) {
  return z.preprocess(text, checked(rule, words));
}

/** A number field (`Number` of its text; empty is undefined) checked by `rule`. */
function numberField<T>(rule: z.ZodType<T>, words: Words) {
  return z.preprocess(
    (value) => {
      const given = text(value);
      return given === undefined ? undefined : Number(given);
    },
    checked(rule, words),
  );
}

/** A checkbox or a hidden yes/no: true only for `yes`, whatever else the form sends. */
function flag(yes: string) {
  return z.preprocess((value) => value === yes, z.boolean());
}

/** "14:30": a time of day, 24-hour, as `<input type="time">` sends it. */
export const timeOfDayTextSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM');

/** Minutes after midnight of a time of day such as "14:30". */
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** "14:30" → minutes after midnight. */
export const timeOfDaySchema = timeOfDayTextSchema.transform(minutesOf);

/** How long a booked visit may last, in minutes (the assign form offers 30 minutes to 4 hours). */
export const visitMinutesSchema = z
  .number()
  .int()
  .min(15)
  .max(12 * 60);

/** The version of the ticket the page showed: sent back so a ticket changed meanwhile answers 409. */
const version = numberField(
  ticketTransitionBodySchema.shape.version,
  'This form is out of date: reload the page and try again.',
);

// ——— Ticket pages (planner's ticket page, technician's job page and job list) ———

/** A step of the ticket's life (tickets/[id], tech/[id] and the tech list: `?/transition`). */
export const transitionForm = z
  .object({
    to: field(ticketTransitionBodySchema.shape.to, 'Choose a step.'),
    reason: field(ticketTransitionBodySchema.shape.reason, {
      tooLong: 'Keep the reason under 1,000 characters.',
      otherwise: 'Say why: this step needs a reason for the audit log.',
    }),
    /** The page asks for a reason for steps that need one (cancel, reopen…). */
    reasonRequired: flag('true'),
    version,
  })
  .refine((f) => !f.reasonRequired || f.reason !== undefined, {
    message: 'Say why: this step needs a reason for the audit log.',
    path: ['reason'],
  })
  .transform(({ to, reason, version }) => ({ to, reason, version }));

/** The job a step on the technician's job list is for (tech: `?/transition`, beside transitionForm). */
export const jobForm = z.object({
  ticketId: field(recordIdSchema, 'This ticket is not one you can change.'),
});

const dateInput = /^\d{4}-\d{2}-\d{2}$/;
const timeInput = /^\d{2}:\d{2}$/;
const when = 'Give the appointment date and start time.';

/**
 * A technician and an appointment (tickets/[id]: `?/assign`). The date and time are the wall clock of
 * the console's zone, which the form names (`timezone`); the server reads them in that zone on that
 * date (`wallTimeToEpoch`), so a date across a DST change books its own hour, as the dispatch board does.
 */
export const assignForm = z
  .object({
    technicianId: field(assignTicketBodySchema.shape.technicianId, 'Choose a technician.'),
    date: field(z.string().regex(dateInput), when),
    time: field(z.string().regex(timeInput), when),
    minutes: numberField(visitMinutesSchema.default(90), 'The visit lasts between 15 minutes and 12 hours.'),
    reason: field(assignTicketBodySchema.shape.reason, 'Keep the reason under 1,000 characters.'),
    overtime: flag('yes'),
    version,
    timezone: field(
      z.string().refine(isTimeZone),
      'The form did not say its time zone: reload the page and try again.',
    ),
  })
  .refine((f) => planningDateSchema.safeParse(f.date).success && timeOfDaySchema.safeParse(f.time).success, {
    message: 'That date and time do not exist.',
    path: ['date'],
  })
  .transform((f) => {
    const start = wallTimeToEpoch(f.date, minutesOf(f.time), f.timezone);
    return {
      technicianId: f.technicianId,
      appointment: { start, end: start + f.minutes * 60_000 },
      reason: f.reason,
      version: f.version,
      ...(f.overtime ? { outsideWorkingHours: true } : {}),
    };
  });

/** A note on the ticket (tickets/[id], tech/[id]: `?/note`). */
export const noteForm = z.object({
  text: field(addTicketNoteBodySchema.shape.text, {
    tooLong: 'A note holds up to 4,000 characters.',
    otherwise: 'Write the note first.',
  }),
});

/** A reserved part fitted, with the serial of the part taken out (tech/[id]: `?/part`). */
export const partUsedForm = z.object({
  reservationId: field(recordIdSchema, 'Choose the reserved part you fitted.'),
  removedSerial: field(
    recordPartUsedBodySchema.shape.removedSerial,
    'A serial number has 3 to 64 characters, as on the part’s label.',
  ),
});

/**
 * A part fitted that the job had not reserved, taken from the technician's van or a depot (tech/[id]:
 * `?/loosePart`) → the POST /api/tickets/:id/parts-used body without a reservation.
 */
export const loosePartUsedForm = z.object({
  sku: field(skuSchema, 'Choose the part you fitted.'),
  locationId: field(recordIdSchema, 'Choose where you took it from.'),
  quantity: numberField(
    recordPartUsedBodySchema.shape.quantity.unwrap(),
    'Say how many you fitted: a whole number from 1 to 100.',
  ),
  removedSerial: field(
    recordPartUsedBodySchema.shape.removedSerial,
    'A serial number has 3 to 64 characters, as on the part’s label.',
  ),
});

/** A part on its way to the job has arrived (tech/[id]: `?/arrived`). */
export const partArrivedForm = z.object({
  transferId: field(recordIdSchema, 'Which delivery is it?'),
});

/** A remote command the ticket offers (tickets/[id], tech/[id]: `?/command`). */
export const commandForm = z.object({
  command: field(commandNameSchema, 'Choose a command to send.'),
});

// ——— The customer's page (my) ———

/** A problem with one of the customer's devices (my: `?/report`) → the POST /api/tickets body. */
export const reportForm = z
  .object({
    deviceId: field(createTicketBodySchema.shape.deviceId, 'Choose the device that has the problem.'),
    description: field(createTicketBodySchema.shape.description, {
      tooLong: 'Keep it under 4,000 characters.',
      otherwise: 'Say what is wrong, in a sentence or two.',
    }),
  })
  .transform(({ deviceId, description }) => ({
    kind: 'corrective' as const,
    deviceId,
    description,
    // The first line, as the title the planners' lists show.
    title: shortTitle(description.split(/\r?\n/)[0]!, 80),
  }));

/**
 * A planner opens a corrective ticket for the device whose page they are on (devices/[id]:
 * `?/openTicket`): what is wrong and, when they know it, how urgent it is.
 */
export const deviceTicketForm = z
  .object({
    deviceId: field(
      createTicketBodySchema.shape.deviceId,
      'This device cannot take a ticket: reload the page.',
    ),
    description: field(createTicketBodySchema.shape.description, {
      tooLong: 'Keep it under 4,000 characters.',
      otherwise: 'Say what is wrong, in a sentence or two.',
    }),
    priority: field(createTicketBodySchema.shape.priority, 'Choose a priority from the list.'),
  })
  .transform(({ deviceId, description, priority }) => ({
    kind: 'corrective' as const,
    deviceId,
    description,
    title: shortTitle(description.split(/\r?\n/)[0]!, 80),
    ...(priority ? { priority } : {}),
  }));

/** A rating of a closed visit (my: `?/rate`): CSAT 1–5 stars, NPS 0–10, a comment, a complaint. */
export const rateForm = z.object({
  ticketId: field(recordIdSchema, 'Which visit is this about?'),
  csat: numberField(giveFeedbackBodySchema.shape.csat, 'Choose how satisfied you are, 1 to 5 stars.'),
  nps: numberField(
    giveFeedbackBodySchema.shape.nps,
    'Choose how likely you are to recommend us, from 0 to 10.',
  ),
  comment: field(giveFeedbackBodySchema.shape.comment, 'Keep the comment under 2,000 characters.'),
  complaint: flag('on'),
});

// ——— The dispatch board (dispatch) ———

/**
 * The board's zone, as GET /api/dispatch/day named it and the page sent it back. The board's times
 * are resolved on that clock at their own date and time (lib/server/wall-clock.ts), never as a fixed
 * offset from the day's start: on a DST changeover day the two differ by an hour.
 */
const boardZone = field(
  z.string().refine(isTimeZone),
  'The form did not say the board’s time zone: reload the page and try again.',
);

const pickJob = 'Pick a job on the board first.';

/** What moving a job to a technician would do (dispatch: `?/preview`) → the preview body. */
export const previewForm = z
  .object({
    date: field(dispatchPreviewBodySchema.shape.date, pickJob),
    ticketId: field(dispatchPreviewBodySchema.shape.ticketId, pickJob),
    technicianId: field(
      dispatchPreviewBodySchema.shape.technicianId,
      'Pick the technician to give the job to.',
    ),
    timezone: boardZone,
    start: field(timeOfDaySchema.optional(), 'The start time must be a time of day such as 14:30.'),
  })
  .transform((f) => ({
    date: f.date,
    ticketId: f.ticketId,
    technicianId: f.technicianId,
    start: f.start === undefined ? undefined : wallTimeToEpoch(f.date, f.start, f.timezone),
  }));

/** Apply a previewed move (dispatch: `?/apply`); the hidden fields are the preview's own. */
const previewFirst = 'Preview the move first, then apply it.';
export const applyForm = z
  .object({
    ticketId: field(recordIdSchema, previewFirst),
    technicianId: field(assignTicketBodySchema.shape.technicianId, previewFirst),
    start: numberField(epochMsSchema, previewFirst),
    end: numberField(epochMsSchema, previewFirst),
    version: numberField(ticketTransitionBodySchema.shape.version.unwrap(), previewFirst),
  })
  .refine((f) => appointmentSchema.safeParse({ start: f.start, end: f.end }).success, {
    message: previewFirst,
    path: ['end'],
  })
  .transform((f) => ({
    ticketId: f.ticketId,
    technicianId: f.technicianId,
    appointment: { start: f.start, end: f.end },
    version: f.version,
  }));

/**
 * A technician out for the rest of the day (dispatch: `?/replan`): propose (`apply` false) or write
 * the new assignments. `body` is the POST /api/dispatch/replan body; `at` the time as the form had
 * it ('' for the start of their day).
 */
const whoIsOut = 'Pick the technician who is out.';
export const replanForm = z
  .object({
    date: field(dispatchReplanBodySchema.shape.date, whoIsOut),
    technicianId: field(dispatchReplanBodySchema.shape.technicianId, whoIsOut),
    timezone: boardZone,
    at: field(
      timeOfDayTextSchema.optional(),
      'The time they are out from must be a time of day such as 14:30.',
    ),
    apply: flag('true'),
  })
  .transform((f) => ({
    body: {
      date: f.date,
      technicianId: f.technicianId,
      apply: f.apply,
      at: f.at === undefined ? undefined : wallTimeToEpoch(f.date, minutesOf(f.at), f.timezone),
    },
    at: f.at ?? '',
  }));

/**
 * "Running late" on the dispatch board: a job under way now ends only at `endsAt`, typed on the
 * board's clock.
 */
const lateJob = 'Pick the job that runs late.';
export const lateForm = z
  .object({
    date: field(dispatchRunningLateBodySchema.shape.date, lateJob),
    ticketId: field(dispatchRunningLateBodySchema.shape.ticketId, lateJob),
    timezone: boardZone,
    endsAt: field(timeOfDayTextSchema, 'When it will end must be a time of day such as 14:30.'),
    apply: flag('true'),
  })
  .transform((f) => ({
    body: {
      date: f.date,
      ticketId: f.ticketId,
      apply: f.apply,
      expectedEndAt: wallTimeToEpoch(f.date, minutesOf(f.endsAt), f.timezone),
    },
    endsAt: f.endsAt,
  }));

// ——— Sign-in ———

const enterBoth = 'Enter your email address and password.';

/** Sign in (login: default action). The password is taken as typed, spaces and all. */
export const loginForm = z
  .object({
    email: field(z.string(), enterBoth),
    password: z.preprocess(
      (value) => (typeof value === 'string' && value !== '' ? value : undefined),
      checked(z.string(), enterBoth),
    ),
    /** Where to go after signing in; safeRedirectTarget decides whether it may. */
    redirectTo: z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string()),
  })
  // Whatever the service would refuse to look up cannot match an account: say so without asking it.
  .refine((f) => loginBodySchema.safeParse({ email: f.email, password: f.password }).success, {
    message: 'That email address and password do not match an account.',
    path: ['email'],
  });

// ——— Your account ———

/** A password field, taken as typed (spaces and all); empty is not given. */
function passwordField<T>(rule: z.ZodType<T>, words: Words) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value : undefined),
    checked(rule, words),
  );
}

/** Change your password (account: default action): the current one, the new one twice. */
export const changePasswordForm = z
  .object({
    currentPassword: passwordField(z.string().max(200), 'Enter your current password.'),
    newPassword: passwordField(passwordSchema, {
      tooLong: 'The new password can be at most 200 characters.',
      otherwise: 'The new password needs at least 12 characters.',
    }),
    confirmPassword: passwordField(z.string(), 'Enter the new password a second time.'),
  })
  .refine((f) => f.confirmPassword === f.newPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords are not the same.',
  })
  .refine((f) => f.newPassword !== f.currentPassword, {
    path: ['newPassword'],
    message: 'The new password must differ from the current one.',
  });

/** Closing a customer's complaint: what was done about it, as the service requires. */
export const complaintResolutionForm = z.object({
  id: field(recordIdSchema, 'This complaint cannot be closed from here: reload the page.'),
  resolution: field(resolveComplaintBodySchema.shape.resolution, {
    tooLong: 'Keep it under 2,000 characters.',
    otherwise: 'Say what was done about the complaint: whom you called, what was put right.',
  }),
});
