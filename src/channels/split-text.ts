/**
 * Splits a long text at line or word breaks, never inside a character, into parts of at most
 * `max` characters (messengers cap a message: Telegram 4096, VK 4096, MAX 4000). Blank parts are
 * dropped; a blank text gives none.
 */
export function splitText(text: string, max: number): string[] {
  const chars = [...text];
  if (chars.length <= max) return text.trim() ? [text] : [];
  const parts: string[] = [];
  let rest = chars;
  while (rest.length > max) {
    const window = rest.slice(0, max).join('');
    let cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < max / 2) cut = window.length;
    const head = window.slice(0, cut);
    parts.push(head);
    rest = rest.slice([...head].length);
    while (rest[0] === '\n' || rest[0] === ' ') rest = rest.slice(1);
  }
  if (rest.length) parts.push(rest.join(''));
  return parts.filter((p) => p.trim());
}
