/**
 * What a person typed into a form that was sent after their session had ended: the server answers
 * with the way to the login page, and the text would be gone. It is kept in the tab's session
 * storage, for the same person on the same page, and put back into the same form when they come
 * back signed in. Another person signing in on the same tab gets nothing of it.
 */

/** A draft older than this is a different task by the time anyone sees it. */
export const DRAFT_MAX_AGE_MS = 30 * 60_000;
const KEY_PREFIX = 'aftercare:draft:';

export interface FormDraft {
  /** The signed-in person's email when the form was sent. */
  owner: string;
  savedAt: number;
  /** The form's `action` attribute: "?/note". */
  action: string;
  /** The hidden fields, which tell two forms of one action apart (which part, which ticket). */
  hidden: Record<string, string>;
  /** What was typed or chosen, by field name. */
  typed: Record<string, string>;
}

/** A form field as the draft reads it. */
export interface DraftField {
  name: string;
  type: string;
  value: string;
}

/** Fields a person types or picks: never a password, a file or a button. */
const typedTypes = new Set([
  'text',
  'textarea',
  'search',
  'email',
  'tel',
  'url',
  'number',
  'date',
  'time',
  'datetime-local',
  'select-one',
]);

/**
 * The storage key of a page's drafts: its path and query, the query written as the login page's
 * way back writes it (a space as "+"), so that the page it sends the person back to finds them.
 */
export function draftKey(pathname: string, search: string): string {
  const query = new URLSearchParams(search).toString();
  return `${KEY_PREFIX}${pathname}${query ? `?${query}` : ''}`;
}

/** Whether a storage key holds drafts (to forget them all when the person signs out). */
export function isDraftKey(key: string): boolean {
  return key.startsWith(KEY_PREFIX);
}

/** The draft of a form's fields, or null when nothing was typed into it. */
export function draftOf(
  fields: readonly DraftField[],
  form: { action: string; owner: string; now: number },
): FormDraft | null {
  const hidden: Record<string, string> = {};
  const typed: Record<string, string> = {};
  for (const f of fields) {
    if (!f.name) continue;
    if (f.type === 'hidden') hidden[f.name] = f.value;
    else if (typedTypes.has(f.type) && f.value.trim() !== '') typed[f.name] = f.value;
  }
  if (Object.keys(typed).length === 0) return null;
  return { owner: form.owner, savedAt: form.now, action: form.action, hidden, typed };
}

/** The drafts kept for a page, as stored; whatever is unreadable counts as none. */
export function parseDrafts(stored: string | null): FormDraft[] {
  if (stored === null) return [];
  try {
    const value: unknown = JSON.parse(stored);
    return Array.isArray(value) ? value.filter(isDraft) : [];
  } catch {
    return [];
  }
}

function isDraft(value: unknown): value is FormDraft {
  const d = value as FormDraft | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.owner === 'string' &&
    typeof d.savedAt === 'number' &&
    typeof d.action === 'string' &&
    isTextRecord(d.hidden) &&
    isTextRecord(d.typed)
  );
}

/** Field name → text: what goes back into a field is never anything but text. */
function isTextRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** A page's drafts with `draft` in place of an earlier one of the same form. */
export function withDraft(drafts: readonly FormDraft[], draft: FormDraft): FormDraft[] {
  return [...drafts.filter((d) => !sameForm(d, draft.action, draft.hidden)), draft];
}

/**
 * Which of a page's forms each draft goes back into: the form with the draft's action whose hidden
 * fields are the draft's. Drafts of another person, or too old, go nowhere.
 */
export function draftsToRestore(
  drafts: readonly FormDraft[],
  forms: readonly { action: string; hidden: Record<string, string> }[],
  who: { owner: string; now: number },
): { draft: FormDraft; form: number }[] {
  return drafts.flatMap((draft) => {
    if (draft.owner !== who.owner || who.now - draft.savedAt > DRAFT_MAX_AGE_MS) return [];
    const form = forms.findIndex((f) => sameForm(draft, f.action, f.hidden));
    return form < 0 ? [] : [{ draft, form }];
  });
}

/**
 * The drafts to keep after a restore: the person's own, still fresh, that found no form on the page
 * yet (a form that appears once something is picked). Others' and stale ones go.
 */
export function draftsStillWaiting(
  drafts: readonly FormDraft[],
  restored: readonly FormDraft[],
  who: { owner: string; now: number },
): FormDraft[] {
  return drafts.filter(
    (d) => !restored.includes(d) && d.owner === who.owner && who.now - d.savedAt <= DRAFT_MAX_AGE_MS,
  );
}

function sameForm(draft: FormDraft, action: string, hidden: Record<string, string>): boolean {
  if (draft.action !== action) return false;
  const names = new Set([...Object.keys(draft.hidden), ...Object.keys(hidden)]);
  return [...names].every((n) => draft.hidden[n] === hidden[n]);
}
