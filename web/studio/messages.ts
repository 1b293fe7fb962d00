// What the bot says, side by side per language (issue 16 item 2): one row per message, a column
// per locale, missing translations flagged and counted; a search over ids and words; a click
// opens that text in the editor.

export interface MessageRow {
  id: string;
  texts: Record<string, string | null>;
}

export function renderMessages(
  table: HTMLTableElement,
  rows: MessageRow[],
  locales: string[],
  query: string,
  t: (id: string, args?: Record<string, string | number>) => string,
  open: (key: string) => void,
): number {
  const q = query.trim().toLowerCase();
  const shown = rows.filter((r) => !q || r.id.toLowerCase().includes(q) || locales.some((l) => (r.texts[l] ?? '').toLowerCase().includes(q)));
  const head = document.createElement('tr');
  for (const h of ['id', ...locales]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = shown.slice(0, 300).map((r) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = r.id;
    tr.append(th);
    for (const l of locales) {
      const td = document.createElement('td');
      const text = r.texts[l] ?? null;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = text === null ? 'cell missing' : 'cell';
      // The Fluent entry as the child reads it: without "id =" and the continuation indent.
      b.textContent = text === null ? t('studio-missing') : text.replace(/^[^=]*=[ \t]*\n?[ \t]*/, '').replace(/\n[ \t]+/g, '\n').trimEnd();
      b.dataset.key = `message:${l}:${r.id}`;
      b.onclick = () => open(b.dataset.key!);
      td.append(b);
      tr.append(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...body);
  return rows.filter((r) => locales.some((l) => r.texts[l] === null)).length;
}
