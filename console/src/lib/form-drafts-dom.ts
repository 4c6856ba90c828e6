import {
  type DraftField,
  draftKey,
  draftOf,
  draftsStillWaiting,
  draftsToRestore,
  isDraftKey,
  parseDrafts,
  withDraft,
} from './form-drafts.ts';

/**
 * The browser's side of `form-drafts.ts`: reads a form's fields into a draft when the session had
 * ended, and puts drafts back into the page's forms once the person is signed in again.
 */

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function fieldsOf(form: HTMLFormElement): Field[] {
  return [...form.elements].filter(
    (e): e is Field =>
      e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement || e instanceof HTMLSelectElement,
  );
}

function described(field: Field): DraftField {
  return { name: field.name, type: field.type, value: field.value };
}

function hiddenOf(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries(
    fieldsOf(form)
      .filter((f) => f.type === 'hidden' && f.name)
      .map((f) => [f.name, f.value]),
  );
}

function pageKey(): string {
  return draftKey(location.pathname, location.search);
}

/** Keeps what was typed into `form`, for `owner` on this page. */
export function keepDraft(form: HTMLFormElement, owner: string): void {
  try {
    const draft = draftOf(fieldsOf(form).map(described), {
      action: form.getAttribute('action') ?? '',
      owner,
      now: Date.now(),
    });
    if (!draft) return;
    const key = pageKey();
    sessionStorage.setItem(key, JSON.stringify(withDraft(parseDrafts(sessionStorage.getItem(key)), draft)));
  } catch {
    // Storage refused (private mode, full): the person types it again, as before.
  }
}

/**
 * Puts this page's drafts of `owner` back into their forms, as typed (each field told it changed, so
 * that the page's own state follows), and forgets them; a draft whose form is not on the page yet
 * waits for the next visit. Answers how many forms got text back.
 */
export function restoreDrafts(owner: string): number {
  try {
    const key = pageKey();
    const drafts = parseDrafts(sessionStorage.getItem(key));
    if (drafts.length === 0) return 0;
    const forms = [...document.querySelectorAll('form')];
    const who = { owner, now: Date.now() };
    const places = draftsToRestore(
      drafts,
      forms.map((f) => ({ action: f.getAttribute('action') ?? '', hidden: hiddenOf(f) })),
      who,
    );
    const waiting = draftsStillWaiting(
      drafts,
      places.map((p) => p.draft),
      who,
    );
    if (waiting.length > 0) sessionStorage.setItem(key, JSON.stringify(waiting));
    else sessionStorage.removeItem(key);
    for (const { draft, form } of places) {
      for (const field of fieldsOf(forms[form]!)) {
        const value = draft.typed[field.name];
        if (value === undefined || field.type === 'hidden') continue;
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    return places.length;
  } catch {
    return 0;
  }
}

/** Forgets every draft of the tab: the person signs out, and whoever signs in next gets none. */
export function forgetDrafts(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (isDraftKey(key)) sessionStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
}
