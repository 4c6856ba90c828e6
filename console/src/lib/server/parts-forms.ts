import { type RecordPartReturnBody, recordIdSchema, recordPartReturnBodySchema } from '@aftercare/core';
import { formValues } from './form-schemas.ts';

/**
 * The parts page's forms, checked with core's rules for the API bodies they become and answered in
 * the planner's words. Text fields are trimmed; an empty one counts as not given.
 */

export type PartsFormRead<T> = { ok: true; data: T } | { ok: false; message: string };

const reload = 'This part is not on the list any more: reload the page.';

/** What to say when a field of the return breaks core's rule. */
const returnWords: Record<string, string> = {
  ticketId: reload,
  sku: reload,
  locationId: 'Choose where the part was received.',
  serial: 'A serial number has 3 to 64 characters, as on the part’s label.',
};

function textOf(values: Record<string, string>, name: string): string | undefined {
  const trimmed = values[name]?.trim();
  return trimmed ? trimmed : undefined;
}

/** Serials as people type them off a label: case and spaces do not make another unit. */
function sameSerial(a: string, b: string): boolean {
  const plain = (s: string) => s.replace(/\s+/g, '').toUpperCase();
  return plain(a) === plain(b);
}

/**
 * A defective unit received back (parts: `?/receiveReturn`) → the POST /api/part-returns body. The
 * form carries the serial the technician recorded as taken out (`removedSerial`); the unit must
 * carry it, since a unit with another serial is not the part from this job and would leave the
 * return due. It is sent as the technician recorded it, so the service matches it to the fitting.
 */
export function readReturnForm(data: FormData): PartsFormRead<RecordPartReturnBody> {
  const values = formValues(data);
  const parsed = recordPartReturnBodySchema.safeParse({
    ticketId: textOf(values, 'ticketId'),
    sku: textOf(values, 'sku'),
    locationId: textOf(values, 'locationId'),
    serial: textOf(values, 'serial'),
  });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    return { ok: false, message: returnWords[field] ?? reload };
  }
  const removed = textOf(values, 'removedSerial');
  const serial = parsed.data.serial;
  if (removed === undefined) return { ok: true, data: parsed.data };
  if (serial === undefined)
    return {
      ok: false,
      message: `Type the serial on the returned unit’s label: it should be ${removed}, the one taken out.`,
    };
  if (!sameSerial(serial, removed))
    return {
      ok: false,
      message: `The unit’s serial ${serial} is not the one taken out on this job (${removed}). Check the label; if it is another unit, set it aside and ask the technician.`,
    };
  return { ok: true, data: { ...parsed.data, serial: removed } };
}

/** A transfer on the road (parts: `?/transferArrived`, `?/cancelTransfer`). */
export function readTransferForm(data: FormData): PartsFormRead<{ transferId: string }> {
  const parsed = recordIdSchema.safeParse(textOf(formValues(data), 'transferId'));
  return parsed.success
    ? { ok: true, data: { transferId: parsed.data } }
    : { ok: false, message: 'This transfer is not on the list any more: reload the page.' };
}
