import { describe, expect, it } from 'vitest';
import type { Parser } from './api.ts';
import {
  applyForm,
  assignForm,
  commandForm,
  formValues,
  jobForm,
  loginForm,
  noteForm,
  parseForm,
  partArrivedForm,
  partUsedForm,
  previewForm,
  rateForm,
  replanForm,
  reportForm,
  timeOfDaySchema,
  transitionForm,
} from './form-schemas.ts';

/** A form as the browser posts it. */
function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

/** What the form's schema makes of a form that is right. */
function accepted<T>(schema: Parser<T>, fields: Record<string, string>): T {
  const parsed = parseForm(schema, form(fields));
  if (!parsed.ok) throw new Error(`refused at ${parsed.field}: ${parsed.message}`);
  return parsed.data;
}

/** The field a wrong form is refused at, and what the person is told. */
function refused<T>(schema: Parser<T>, fields: Record<string, string>) {
  const parsed = parseForm(schema, form(fields));
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(parsed.data)}`);
  return { field: parsed.field, message: parsed.message };
}

const long = (n: number) => 'x'.repeat(n);

describe('parseForm', () => {
  it('reads the text fields, the first of a field sent twice, and no files', () => {
    const data = form({ a: 'one', b: ' two ' });
    data.append('a', 'again');
    data.append('file', new Blob(['…']), 'photo.jpg');
    expect(formValues(data)).toEqual({ a: 'one', b: ' two ' });
  });

  it('answers the first field that is wrong, in the order of the form, and what the form held', () => {
    const parsed = parseForm(rateForm, form({ ticketId: 't-1', csat: '9', nps: '11' }));
    expect(parsed).toEqual({
      ok: false,
      field: 'csat',
      message: 'Choose how satisfied you are, 1 to 5 stars.',
      values: { ticketId: 't-1', csat: '9', nps: '11' },
    });
  });
});

describe('transition form (?/transition)', () => {
  it('takes the step, the reason and the version the page showed, trimmed', () => {
    expect(accepted(transitionForm, { to: 'on_site', version: '4' })).toEqual({
      to: 'on_site',
      reason: undefined,
      version: 4,
    });
    expect(
      accepted(transitionForm, {
        to: 'cancelled',
        reason: '  customer sold the unit ',
        reasonRequired: 'true',
      }),
    ).toEqual({ to: 'cancelled', reason: 'customer sold the unit', version: undefined });
  });

  it('refuses a step that is not a ticket status', () => {
    expect(refused(transitionForm, { to: 'teleported' })).toEqual({ field: 'to', message: 'Choose a step.' });
    expect(refused(transitionForm, {})).toEqual({ field: 'to', message: 'Choose a step.' });
  });

  it('asks why when the step needs a reason, and keeps the reason within the audit log’s 1,000', () => {
    const why = { field: 'reason', message: 'Say why: this step needs a reason for the audit log.' };
    expect(refused(transitionForm, { to: 'cancelled', reason: '   ', reasonRequired: 'true' })).toEqual(why);
    expect(refused(transitionForm, { to: 'cancelled', reason: long(1001) })).toEqual({
      field: 'reason',
      message: 'Keep the reason under 1,000 characters.',
    });
  });

  it('refuses a version that is not one a ticket has', () => {
    for (const version of ['0', '2.5', 'v3'])
      expect(refused(transitionForm, { to: 'open', version })).toEqual({
        field: 'version',
        message: 'This form is out of date: reload the page and try again.',
      });
  });

  it('on the job list, names the job', () => {
    expect(accepted(jobForm, { ticketId: 'tk_42', to: 'dispatched' })).toEqual({ ticketId: 'tk_42' });
    expect(refused(jobForm, { ticketId: '../users' })).toEqual({
      field: 'ticketId',
      message: 'This ticket is not one you can change.',
    });
  });
});

describe('assign form (?/assign)', () => {
  const real = {
    version: '3',
    timezone: 'Asia/Kolkata', // the console's clock, UTC+5:30
    technicianId: 'tech-7',
    date: '2026-11-27',
    time: '10:00',
    minutes: '120',
    reason: '',
  };

  it('books the appointment on the planner’s clock, in epoch ms', () => {
    const start = Date.parse('2026-11-27T04:30:00Z');
    expect(accepted(assignForm, real)).toEqual({
      technicianId: 'tech-7',
      appointment: { start, end: start + 120 * 60_000 },
      reason: undefined,
      version: 3,
    });
  });

  it('books 90 minutes when the form leaves the length out', () => {
    const { minutes: _m, ...rest } = real;
    const start = Date.parse('2026-11-27T10:00:00Z') - 330 * 60_000;
    expect(accepted(assignForm, rest).appointment).toEqual({ start, end: start + 90 * 60_000 });
  });

  it('does not guess the zone of a form that leaves it out', () => {
    const { timezone: _z, ...rest } = real;
    expect(refused(assignForm, rest)).toEqual({
      field: 'timezone',
      message: 'The form did not say its time zone: reload the page and try again.',
    });
  });

  it('asks for a technician', () => {
    expect(refused(assignForm, { ...real, technicianId: '' })).toEqual({
      field: 'technicianId',
      message: 'Choose a technician.',
    });
  });

  it('asks for the date and the start time', () => {
    const message = 'Give the appointment date and start time.';
    expect(refused(assignForm, { ...real, date: '' })).toEqual({ field: 'date', message });
    expect(refused(assignForm, { ...real, date: '27/11/2026' })).toEqual({ field: 'date', message });
    expect(refused(assignForm, { ...real, time: '10am' })).toEqual({ field: 'time', message });
  });

  it('keeps the visit between 15 minutes and 12 hours', () => {
    const message = 'The visit lasts between 15 minutes and 12 hours.';
    for (const minutes of ['10', '721', '90.5', 'long'])
      expect(refused(assignForm, { ...real, minutes })).toEqual({ field: 'minutes', message });
  });

  it('books the hour of the date chosen, across a change of daylight saving time', () => {
    // Berlin goes from UTC+1 to UTC+2 on 29 March 2026: 10:00 is 09:00 UTC before, 08:00 UTC after.
    const berlin = { ...real, timezone: 'Europe/Berlin' };
    expect(accepted(assignForm, { ...berlin, date: '2026-03-28' }).appointment.start).toBe(
      Date.parse('2026-03-28T09:00:00Z'),
    );
    expect(accepted(assignForm, { ...berlin, date: '2026-03-30' }).appointment.start).toBe(
      Date.parse('2026-03-30T08:00:00Z'),
    );
  });

  it('refuses a date or time that does not exist', () => {
    const message = 'That date and time do not exist.';
    expect(refused(assignForm, { ...real, date: '2026-13-01' })).toEqual({ field: 'date', message });
    expect(refused(assignForm, { ...real, time: '25:00' })).toEqual({ field: 'date', message });
  });

  it('keeps the reason within 1,000 characters and takes only a named time zone', () => {
    expect(refused(assignForm, { ...real, reason: long(1001) })).toEqual({
      field: 'reason',
      message: 'Keep the reason under 1,000 characters.',
    });
    expect(refused(assignForm, { ...real, timezone: '+05:30' })).toEqual({
      field: 'timezone',
      message: 'The form did not say its time zone: reload the page and try again.',
    });
  });
});

describe('note form (?/note)', () => {
  it('takes the note, trimmed', () => {
    expect(accepted(noteForm, { text: '  Customer prefers a morning visit.\n' })).toEqual({
      text: 'Customer prefers a morning visit.',
    });
  });

  it('refuses an empty note and one over 4,000 characters', () => {
    expect(refused(noteForm, { text: ' \n ' })).toEqual({ field: 'text', message: 'Write the note first.' });
    expect(refused(noteForm, { text: long(4001) })).toEqual({
      field: 'text',
      message: 'A note holds up to 4,000 characters.',
    });
    expect(accepted(noteForm, { text: long(4000) }).text).toHaveLength(4000);
  });
});

describe('part fitted form (?/part)', () => {
  it('takes the reservation and, when given, the serial of the part taken out', () => {
    expect(accepted(partUsedForm, { reservationId: 'res-1', removedSerial: ' OLD-COMP-0042 ' })).toEqual({
      reservationId: 'res-1',
      removedSerial: 'OLD-COMP-0042',
    });
    expect(accepted(partUsedForm, { reservationId: 'res-1', removedSerial: '' })).toEqual({
      reservationId: 'res-1',
      removedSerial: undefined,
    });
  });

  it('asks which reserved part, and keeps the serial within 64 characters', () => {
    expect(refused(partUsedForm, { removedSerial: 'X1' })).toEqual({
      field: 'reservationId',
      message: 'Choose the reserved part you fitted.',
    });
    expect(refused(partUsedForm, { reservationId: 'res-1', removedSerial: long(65) })).toEqual({
      field: 'removedSerial',
      message: 'A serial number has 3 to 64 characters, as on the part’s label.',
    });
  });
});

describe('part arrived form (?/arrived)', () => {
  it('takes the delivery, and asks which one when the form does not say', () => {
    expect(accepted(partArrivedForm, { transferId: 'tr-9' })).toEqual({ transferId: 'tr-9' });
    expect(refused(partArrivedForm, { transferId: '' })).toEqual({
      field: 'transferId',
      message: 'Which delivery is it?',
    });
  });
});

describe('remote command form (?/command)', () => {
  it('takes a command name as devices take them', () => {
    expect(accepted(commandForm, { command: 'reset_controller' })).toEqual({ command: 'reset_controller' });
    for (const command of ['', 'Reset Controller', 'rm -rf'])
      expect(refused(commandForm, { command })).toEqual({
        field: 'command',
        message: 'Choose a command to send.',
      });
  });
});

describe('report a problem form (my: ?/report)', () => {
  it('makes a corrective ticket titled with the first line of what is wrong', () => {
    expect(
      accepted(reportForm, {
        deviceId: 'ac-0042',
        description: ' It makes a loud rattling noise.\nSince yesterday. ',
      }),
    ).toEqual({
      kind: 'corrective',
      deviceId: 'ac-0042',
      description: 'It makes a loud rattling noise.\nSince yesterday.',
      title: 'It makes a loud rattling noise.',
    });
    expect(accepted(reportForm, { deviceId: 'ac-0042', description: long(200) }).title).toHaveLength(80);
  });

  it('cuts a long first line after a whole word, with an ellipsis (it was cut mid-word)', () => {
    const description =
      'Since the filter change the water tastes salty. The purifier makes a clicking noise at night.';
    expect(accepted(reportForm, { deviceId: 'ac-0042', description }).title).toBe(
      'Since the filter change the water tastes salty. The purifier makes a clicking…',
    );
  });

  it('asks which device, and what is wrong in under 4,000 characters', () => {
    expect(refused(reportForm, { deviceId: '', description: 'Warm air' })).toEqual({
      field: 'deviceId',
      message: 'Choose the device that has the problem.',
    });
    expect(refused(reportForm, { deviceId: 'ac-0042', description: '  ' })).toEqual({
      field: 'description',
      message: 'Say what is wrong, in a sentence or two.',
    });
    expect(refused(reportForm, { deviceId: 'ac-0042', description: long(4001) })).toEqual({
      field: 'description',
      message: 'Keep it under 4,000 characters.',
    });
  });
});

describe('rate a visit form (my: ?/rate)', () => {
  const real = { ticketId: 'tk-1', csat: '4', nps: '9', comment: ' Quick and tidy. ', complaint: 'on' };

  it('takes the stars, the score, the comment and whether it is a complaint', () => {
    expect(accepted(rateForm, real)).toEqual({
      ticketId: 'tk-1',
      csat: 4,
      nps: 9,
      comment: 'Quick and tidy.',
      complaint: true,
    });
    expect(accepted(rateForm, { ticketId: 'tk-1', csat: '1', nps: '0' })).toEqual({
      ticketId: 'tk-1',
      csat: 1,
      nps: 0,
      comment: undefined,
      complaint: false,
    });
  });

  it('asks which visit', () => {
    expect(refused(rateForm, { ...real, ticketId: '' })).toEqual({
      field: 'ticketId',
      message: 'Which visit is this about?',
    });
  });

  it('takes 1 to 5 stars', () => {
    const message = 'Choose how satisfied you are, 1 to 5 stars.';
    for (const csat of ['', '0', '6', '3.5', 'five'])
      expect(refused(rateForm, { ...real, csat })).toEqual({ field: 'csat', message });
  });

  it('takes a score from 0 to 10, and one must be chosen', () => {
    const message = 'Choose how likely you are to recommend us, from 0 to 10.';
    for (const nps of ['', '-1', '11', '7.5'])
      expect(refused(rateForm, { ...real, nps })).toEqual({ field: 'nps', message });
  });

  it('keeps the comment within 2,000 characters', () => {
    expect(refused(rateForm, { ...real, comment: long(2001) })).toEqual({
      field: 'comment',
      message: 'Keep the comment under 2,000 characters.',
    });
  });
});

describe('dispatch board forms', () => {
  // The board's clock: India, UTC+5:30 all year.
  const timezone = 'Asia/Kolkata';
  const at = (iso: string) => Date.parse(iso);

  it('reads a time of day as minutes after midnight', () => {
    expect(timeOfDaySchema.parse('00:00')).toBe(0);
    expect(timeOfDaySchema.parse('14:30')).toBe(870);
    for (const bad of ['24:00', '9:30', '14:60', '2pm'])
      expect(timeOfDaySchema.safeParse(bad).success).toBe(false);
  });

  describe('preview a move (?/preview)', () => {
    const real = {
      date: '2026-11-27',
      timezone,
      ticketId: 'tk-5',
      technicianId: 'tech-2',
      start: '14:30',
    };

    it('moves the job to the technician at the time on the board’s clock, or their first free slot', () => {
      expect(accepted(previewForm, real)).toEqual({
        date: '2026-11-27',
        ticketId: 'tk-5',
        technicianId: 'tech-2',
        start: at('2026-11-27T14:30:00+05:30'),
      });
      expect(accepted(previewForm, { ...real, start: '' }).start).toBeUndefined();
    });

    it('needs a job of the board', () => {
      const message = 'Pick a job on the board first.';
      expect(refused(previewForm, { ...real, date: 'tomorrow' })).toEqual({ field: 'date', message });
      expect(refused(previewForm, { ...real, ticketId: '' })).toEqual({ field: 'ticketId', message });
    });

    it('does not guess the board’s zone', () => {
      const message = 'The form did not say the board’s time zone: reload the page and try again.';
      expect(refused(previewForm, { ...real, timezone: '' })).toEqual({ field: 'timezone', message });
      expect(refused(previewForm, { ...real, timezone: '+05:30x' })).toEqual({ field: 'timezone', message });
    });

    it('needs the technician, and a start that is a time of day', () => {
      expect(refused(previewForm, { ...real, technicianId: '' })).toEqual({
        field: 'technicianId',
        message: 'Pick the technician to give the job to.',
      });
      expect(refused(previewForm, { ...real, start: '25:00' })).toEqual({
        field: 'start',
        message: 'The start time must be a time of day such as 14:30.',
      });
    });
  });

  describe('apply a move (?/apply)', () => {
    const start = at('2026-11-27T14:30:00+05:30');
    const real = {
      ticketId: 'tk-5',
      technicianId: 'tech-2',
      start: String(start),
      end: String(start + 5_400_000),
      version: '7',
    };

    it('takes the previewed appointment and the version it was made from', () => {
      expect(accepted(applyForm, real)).toEqual({
        ticketId: 'tk-5',
        technicianId: 'tech-2',
        appointment: { start, end: start + 5_400_000 },
        version: 7,
      });
    });

    it('sends anything else back to the preview', () => {
      const message = 'Preview the move first, then apply it.';
      expect(refused(applyForm, { ...real, ticketId: '' })).toEqual({ field: 'ticketId', message });
      expect(refused(applyForm, { ...real, technicianId: '' })).toEqual({ field: 'technicianId', message });
      expect(refused(applyForm, { ...real, start: '' })).toEqual({ field: 'start', message });
      expect(refused(applyForm, { ...real, end: real.start })).toEqual({ field: 'end', message });
      expect(refused(applyForm, { ...real, version: '' })).toEqual({ field: 'version', message });
    });
  });

  describe('replan a day (?/replan)', () => {
    const real = {
      date: '2026-11-27',
      timezone,
      technicianId: 'tech-2',
      at: '',
      apply: 'false',
    };

    it('proposes, or applies, moving the jobs of a technician who is out from a time', () => {
      expect(accepted(replanForm, real)).toEqual({
        body: { date: '2026-11-27', technicianId: 'tech-2', apply: false, at: undefined },
        at: '',
      });
      expect(accepted(replanForm, { ...real, at: '13:00', apply: 'true' })).toEqual({
        body: {
          date: '2026-11-27',
          technicianId: 'tech-2',
          apply: true,
          at: at('2026-11-27T13:00:00+05:30'),
        },
        at: '13:00',
      });
    });

    it('needs the technician who is out, and a time of day they are out from', () => {
      const who = 'Pick the technician who is out.';
      expect(refused(replanForm, { ...real, technicianId: '' })).toEqual({
        field: 'technicianId',
        message: who,
      });
      expect(refused(replanForm, { ...real, date: '' })).toEqual({ field: 'date', message: who });
      expect(refused(replanForm, { ...real, at: 'after lunch' })).toEqual({
        field: 'at',
        message: 'The time they are out from must be a time of day such as 14:30.',
      });
    });
  });
  describe('on a day the board’s clock changes (DST)', () => {
    const preview = (timezone: string, date: string, start: string) =>
      accepted(previewForm, { date, timezone, ticketId: 'tk-5', technicianId: 'tech-2', start }).start;
    const outFrom = (timezone: string, date: string, time: string) =>
      accepted(replanForm, { date, timezone, technicianId: 'tech-2', at: time }).body.at;

    it('keeps 14:30 at 14:30 in Berlin on the day summer time starts (29 March 2026, 02:00 → 03:00)', () => {
      expect(preview('Europe/Berlin', '2026-03-29', '14:30')).toBe(at('2026-03-29T14:30:00+02:00'));
      expect(outFrom('Europe/Berlin', '2026-03-29', '14:30')).toBe(at('2026-03-29T14:30:00+02:00'));
      // Before the change the same day is still on winter time.
      expect(preview('Europe/Berlin', '2026-03-29', '01:30')).toBe(at('2026-03-29T01:30:00+01:00'));
    });

    it('keeps 14:30 at 14:30 in Berlin on the day summer time ends (25 October 2026, 03:00 → 02:00)', () => {
      expect(preview('Europe/Berlin', '2026-10-25', '14:30')).toBe(at('2026-10-25T14:30:00+01:00'));
      expect(outFrom('Europe/Berlin', '2026-10-25', '14:30')).toBe(at('2026-10-25T14:30:00+01:00'));
      expect(preview('Europe/Berlin', '2026-10-25', '01:30')).toBe(at('2026-10-25T01:30:00+02:00'));
    });

    it('reads a time the clock skips as an hour later, and one it shows twice as the first', () => {
      expect(preview('Europe/Berlin', '2026-03-29', '02:30')).toBe(at('2026-03-29T03:30:00+02:00'));
      expect(preview('Europe/Berlin', '2026-10-25', '02:30')).toBe(at('2026-10-25T02:30:00+02:00'));
    });

    it('in a zone without DST, is the same time on those days as on any other', () => {
      expect(preview('Asia/Kolkata', '2026-03-29', '14:30')).toBe(at('2026-03-29T09:00:00Z'));
      expect(outFrom('Asia/Kolkata', '2026-10-25', '14:30')).toBe(at('2026-10-25T09:00:00Z'));
    });
  });
});

describe('sign-in form (login)', () => {
  it('takes the email trimmed and the password as typed', () => {
    expect(
      accepted(loginForm, {
        email: ' ana@example.com ',
        password: ' secret phrase ',
        redirectTo: '/tickets',
      }),
    ).toEqual({ email: 'ana@example.com', password: ' secret phrase ', redirectTo: '/tickets' });
    expect(accepted(loginForm, { email: 'ana@example.com', password: 'x' }).redirectTo).toBe('');
  });

  it('asks for both', () => {
    const message = 'Enter your email address and password.';
    expect(refused(loginForm, { email: ' ', password: 'secret' })).toEqual({ field: 'email', message });
    expect(refused(loginForm, { email: 'ana@example.com', password: '' })).toEqual({
      field: 'password',
      message,
    });
  });

  it('does not ask the service about what cannot be an account', () => {
    const message = 'That email address and password do not match an account.';
    expect(refused(loginForm, { email: 'an', password: 'secret' })).toEqual({ field: 'email', message });
    expect(refused(loginForm, { email: 'ana@example.com', password: long(201) })).toEqual({
      field: 'email',
      message,
    });
  });
});
