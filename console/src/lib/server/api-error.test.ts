import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';

const refusal = (message: string) => new ApiError(400, 'VALIDATION_FAILED', message, '/api/x');

describe('what the console shows of an API refusal', () => {
  it('names the field without the part of the request it came in', () => {
    expect(refusal('body.sku: AC-FILTER is a split-ac part').field).toBe('sku');
    expect(refusal('querystring.from: must be before to').field).toBe('from');
    expect(refusal('body.appointment.end: the appointment is over already').field).toBe('appointment.end');
    expect(refusal('the ticket is open: feedback is given once it is closed').field).toBeNull();
  });

  it('says what was wrong as a sentence, without the field the person cannot see', () => {
    const working = refusal(
      "body.appointment: Sunday is not one of Asha Rao's working days (Mon–Sat, 09:00–18:00 Asia/Kolkata)",
    );
    expect(working.sentence).toBe(
      "Sunday is not one of Asha Rao's working days (Mon–Sat, 09:00–18:00 Asia/Kolkata)",
    );
    expect(refusal('the ticket is open: feedback is given once it is closed').sentence).toBe(
      'The ticket is open: feedback is given once it is closed',
    );
  });
});
