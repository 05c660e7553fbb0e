/** A number written as text, or the text itself when it is none (for the check to refuse). */
export function parseNumberText(text: string): number | string {
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}
