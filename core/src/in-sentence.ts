/**
 * A catalogue label inside a sentence: "Split air conditioner" → "split air conditioner", while an
 * acronym keeps its capitals ("RO water purifier", "UV lamp ageing"): lower-casing the whole label
 * wrote "the ro water purifier" to customers.
 */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}
