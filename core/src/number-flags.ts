import { z } from 'zod';

/**
 * The number flags of every CLI (and the variables that default them), read only as a person types a
 * number: digits, a fraction only where the flag takes one, a leading minus (the flag's bound then
 * refuses it, in words, where a negative makes no sense). `z.coerce.number` read what `Number()` reads:
 * `--epochs 0x2` as 2, `--count 1e3` as 1000, `--rate ' 5'` as 5 and `--seed ''` as 0, so a slip ran
 * with some other number. Text `Number()` would have read is told what form to take; any other text
 * that it must be a number; `words`, when given, answers every refusal instead. Messages read as "--epochs: must be at least 1" once `parseCommand` names
 * the flag.
 */
export function numberFromText(whole: boolean, words?: string) {
  const form = numberForm(whole);
  return z.string({ error: words ?? 'must be a number' }).transform((text, ctx) => {
    if (form.test(text)) return Number(text);
    const numberLike = text.trim() !== '' && Number.isFinite(Number(text));
    ctx.addIssue({
      code: 'custom',
      message:
        words ??
        (!numberLike ? 'must be a number' : whole ? 'must be a whole number' : 'must be a decimal number'),
    });
    return z.NEVER;
  });
}

/** A number as a person types it: digits, with a fraction where `whole` is false, and a leading minus. */
export function numberForm(whole: boolean): RegExp {
  return whole ? /^-?\d+$/ : /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
}

/** A whole-number flag from `min` to `max`. */
export function intFlag(min: number, max: number) {
  return numberFromText(true).pipe(
    z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
}

/** A decimal-number flag from `min` to `max`. */
export function numberFlag(min: number, max: number) {
  return numberFromText(false).pipe(
    z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
}
