/**
 * Phone numbers in what the bot or a counselor says become tel: links, so a child on a phone
 * calls with one tap. Built as DOM nodes (text nodes and <a>), never as HTML: the text is shown
 * exactly as written, whatever it contains.
 */

/** Digits with the separators people write between them: "8-800-2000-122", "+7 (495) 123-45-67", "112". */
const NUMBER = /\+?\d(?:[\d\s()-]*\d)?/g;
/** Short numbers are calls only when they are emergency numbers (112; 101–104 in Russia); others are counts or steps. */
const SHORT = new Set(['112', '101', '102', '103', '104']);

/** The tel: address for a written number, or null when it is not a phone number. */
export function telOf(written: string): string | null {
  const digits = written.replace(/\D/g, '');
  if (SHORT.has(digits) && digits === written) return `tel:${digits}`;
  // Whole numbers (10–15 digits, ITU E.164 at most 15) are; "5-4-3-2-1" and "10-13" are not.
  if (digits.length < 10 || digits.length > 15) return null;
  return `tel:${written.startsWith('+') ? '+' : ''}${digits}`;
}

export function linkified(text: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(NUMBER)) {
    const at = m.index ?? 0;
    const written = m[0];
    const tel = telOf(written);
    // A number glued to letters or digits ("A112", "1123") is not a number standing alone.
    const before = text[at - 1];
    const after = text[at + written.length];
    if (!tel || (before && /[\p{L}\d]/u.test(before)) || (after && /[\p{L}\d]/u.test(after))) continue;
    if (at > last) nodes.push(document.createTextNode(text.slice(last, at)));
    const a = document.createElement('a');
    a.href = tel;
    a.className = 'tel';
    a.textContent = written;
    nodes.push(a);
    last = at + written.length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}
