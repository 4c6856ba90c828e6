/**
 * A title made of someone's own words, short enough for a line in a list (the service's for a problem
 * reported without one, the console's forms' from the first line typed): `text` whole when it fits in
 * `maxLength`, otherwise cut after the last word that fits, with an ellipsis, within `maxLength` (the
 * ellipsis counted). A word that could not fit on its own (a URL, serials typed without spaces) is cut
 * where the room ends instead of being dropped.
 */
export function shortTitle(text: string, maxLength: number): string {
  const whole = text.trim();
  if (whole.length <= maxLength) return whole;
  const room = maxLength - 1;
  const head = whole.slice(0, room);
  // The word that crosses the end of the room, if the cut does not fall between two words.
  const wordStart = /\s/.test(whole[room]!) ? room : head.search(/\S*$/);
  const wordEnd = room + whole.slice(room).search(/\s|$/);
  const kept = wordEnd - wordStart > room ? head : head.slice(0, wordStart);
  return `${kept.replace(/[\s,;:]+$/, '') || head}…`;
}
