import { describe, expect, it } from 'vitest';
import { readReturnForm, readTransferForm } from './parts-forms.ts';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const aReturn = { ticketId: 't-1', sku: 'AC-CAP', locationId: 'loc-warehouse', removedSerial: 'RM-5a1c' };

describe('readReturnForm', () => {
  it('takes the serial off the label as the technician recorded it, whatever its case and spaces', () => {
    expect(readReturnForm(form({ ...aReturn, serial: ' rm-5A1C ' }))).toEqual({
      ok: true,
      data: { ticketId: 't-1', sku: 'AC-CAP', locationId: 'loc-warehouse', serial: 'RM-5a1c' },
    });
  });

  it('refuses a unit with another serial, naming both, since it is not the part from this job', () => {
    const read = readReturnForm(form({ ...aReturn, serial: 'RM-9999' }));
    expect(read).toEqual({
      ok: false,
      message:
        'The unit’s serial RM-9999 is not the one taken out on this job (RM-5a1c). Check the label; if it is another unit, set it aside and ask the technician.',
    });
  });

  it('asks for the serial when the technician recorded one', () => {
    const read = readReturnForm(form({ ...aReturn, serial: '  ' }));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(
      /^Type the serial on the returned unit’s label: it should be RM-5a1c/,
    );
  });

  it('takes a unit without a serial for a fitting recorded without one', () => {
    const { removedSerial: _, ...fitting } = aReturn;
    expect(readReturnForm(form(fitting))).toMatchObject({ ok: true, data: { serial: undefined } });
  });

  it('answers in the planner’s words: where it was received, a serial too long, a row gone', () => {
    const message = (fields: Record<string, string>) => {
      const read = readReturnForm(form(fields));
      return read.ok ? null : read.message;
    };
    expect(message({ ...aReturn, locationId: '', serial: 'RM-5a1c' })).toBe(
      'Choose where the part was received.',
    );
    expect(message({ ...aReturn, removedSerial: '', serial: 'X'.repeat(65) })).toBe(
      'A serial number has 3 to 64 characters, as on the part’s label.',
    );
    expect(message({ ...aReturn, sku: 'not a sku', serial: 'RM-5a1c' })).toBe(
      'This part is not on the list any more: reload the page.',
    );
  });
});

describe('readTransferForm', () => {
  it('reads the transfer id, or says the row is gone', () => {
    expect(readTransferForm(form({ transferId: 'tr-1' }))).toEqual({
      ok: true,
      data: { transferId: 'tr-1' },
    });
    expect(readTransferForm(form({ transferId: '../x' })).ok).toBe(false);
  });
});
