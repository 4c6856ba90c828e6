import { describe, expect, it } from 'vitest';
import {
  DRAFT_MAX_AGE_MS,
  draftKey,
  draftOf,
  draftsStillWaiting,
  draftsToRestore,
  parseDrafts,
  withDraft,
} from './form-drafts.ts';

const now = Date.parse('2026-11-29T10:00:00Z');
const ravi = 'ravi@example.com';
/** The part form of a job, as the browser gives its fields. */
const partForm = (partId: string, serial: string) => [
  { name: 'partId', type: 'hidden', value: partId },
  { name: 'removedSerial', type: 'text', value: serial },
  { name: 'password', type: 'password', value: 'secret' },
  { name: 'quantity', type: 'number', value: '1' },
];

describe('drafts of forms sent after the session ended', () => {
  it('keeps what was typed or picked, never a password, and nothing for an empty form', () => {
    const draft = draftOf(partForm('p-1', 'SN-448'), { action: '?/partUsed', owner: ravi, now });
    expect(draft).toEqual({
      owner: ravi,
      savedAt: now,
      action: '?/partUsed',
      hidden: { partId: 'p-1' },
      typed: { removedSerial: 'SN-448', quantity: '1' },
    });
    expect(
      draftOf([{ name: 'text', type: 'textarea', value: '  ' }], { action: '?/note', owner: ravi, now }),
    ).toBeNull();
  });

  it('puts a draft back into the form of its action with the same hidden fields, for the same person only', () => {
    const first = draftOf(partForm('p-2', 'SN-9'), { action: '?/partUsed', owner: ravi, now })!;
    const forms: { action: string; hidden: Record<string, string> }[] = [
      { action: '?/note', hidden: {} },
      { action: '?/partUsed', hidden: { partId: 'p-1' } },
      { action: '?/partUsed', hidden: { partId: 'p-2' } },
    ];
    expect(draftsToRestore([first], forms, { owner: ravi, now: now + 60_000 })).toEqual([
      { draft: first, form: 2 },
    ]);
    // Someone else signing in on the same tab gets none of it; nor does anyone, half an hour on.
    expect(draftsToRestore([first], forms, { owner: 'priya@example.com', now })).toEqual([]);
    expect(draftsToRestore([first], forms, { owner: ravi, now: now + DRAFT_MAX_AGE_MS + 1 })).toEqual([]);
    // A form that is no longer on the page takes nothing.
    expect(draftsToRestore([first], forms.slice(0, 2), { owner: ravi, now })).toEqual([]);
  });

  it('keeps a draft whose form is not on the page yet for the same person, and drops the others', () => {
    const mine = draftOf(partForm('p-1', 'SN-1'), { action: '?/partUsed', owner: ravi, now })!;
    const restored = draftOf(partForm('p-2', 'SN-2'), { action: '?/partUsed', owner: ravi, now })!;
    const theirs = { ...mine, owner: 'priya@example.com' };
    const stale = { ...mine, hidden: { partId: 'p-3' }, savedAt: now - DRAFT_MAX_AGE_MS - 1 };
    expect(draftsStillWaiting([mine, restored, theirs, stale], [restored], { owner: ravi, now })).toEqual([
      mine,
    ]);
  });

  it('files a page by its path and its query written one way, as the way back from the login page writes it', () => {
    expect(draftKey('/dispatch', '?date=2026-11-30&q=fan%20noise')).toBe(
      draftKey('/dispatch', '?date=2026-11-30&q=fan+noise'),
    );
    expect(draftKey('/tech/t-1', '')).toBe('aftercare:draft:/tech/t-1');
  });

  it('keeps the latest draft of each form, and reads damaged storage as no drafts', () => {
    const note = (text: string) =>
      draftOf([{ name: 'text', type: 'textarea', value: text }], { action: '?/note', owner: ravi, now })!;
    const drafts = withDraft(withDraft([], note('Coil iced')), note('Coil iced over; filters clogged'));
    expect(drafts.map((d) => d.typed.text)).toEqual(['Coil iced over; filters clogged']);
    expect(parseDrafts(JSON.stringify(drafts))).toEqual(drafts);
    // A field's value that is not text (storage edited by hand or by a script) is no draft either.
    const notText = JSON.stringify([{ ...drafts[0], typed: { text: { html: '<b>' } } }]);
    for (const stored of [null, '{', '{"owner":1}', '[{"owner":"x"}]', notText])
      expect(parseDrafts(stored)).toEqual([]);
  });
});
