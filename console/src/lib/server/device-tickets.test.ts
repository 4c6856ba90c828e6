import { describe, expect, it } from 'vitest';
import { orderDeviceTickets } from './device-ticket-order.ts';
import { deviceTicketForm, parseForm } from './form-schemas.ts';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe("open a ticket form (a planner on a device's page: ?/openTicket)", () => {
  it('makes a corrective ticket for the device, titled with the first line, at the priority chosen', () => {
    const parsed = parseForm(
      deviceTicketForm,
      form({ deviceId: 'ac-0042', description: ' Warm air.\nCustomer called twice. ', priority: 'high' }),
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        kind: 'corrective',
        deviceId: 'ac-0042',
        description: 'Warm air.\nCustomer called twice.',
        title: 'Warm air.',
        priority: 'high',
      },
    });
  });

  it('leaves the priority to the service when none is chosen', () => {
    const parsed = parseForm(
      deviceTicketForm,
      form({ deviceId: 'ac-0042', description: 'Warm air', priority: '' }),
    );
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && 'priority' in parsed.data).toBe(false);
  });

  it('refuses an empty description and a priority the service does not know', () => {
    expect(parseForm(deviceTicketForm, form({ deviceId: 'ac-0042', description: ' ' }))).toMatchObject({
      ok: false,
      field: 'description',
      message: 'Say what is wrong, in a sentence or two.',
    });
    expect(
      parseForm(deviceTicketForm, form({ deviceId: 'ac-0042', description: 'Warm air', priority: 'asap' })),
    ).toMatchObject({ ok: false, field: 'priority', message: 'Choose a priority from the list.' });
  });
});

describe('orderDeviceTickets', () => {
  it('lists open tickets first, the one waiting longest on top, then the rest newest first', () => {
    const t = (id: string, open: boolean, createdAt: number) => ({ id, open, createdAt });
    const ordered = orderDeviceTickets([
      t('a', false, 1),
      t('b', true, 5),
      t('c', false, 9),
      t('d', true, 2),
    ]);
    expect(ordered.map((x) => x.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});
