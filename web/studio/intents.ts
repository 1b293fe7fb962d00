// What children say, searchable (issue 16 item 3): intents whose examples or lexicon phrases hold
// the words, each line with its language and risk; a click opens the intent's file in the editor.

import type { IntentHit } from '../../src/studio/shapes';

export function renderIntents(list: HTMLUListElement, hits: IntentHit[], t: (id: string, args?: Record<string, string | number>) => string, open: (key: string) => void): void {
  list.replaceChildren(
    ...hits.map((h) => {
      const li = document.createElement('li');
      li.className = 'intent';
      li.dataset.intent = h.id;
      const head = document.createElement('p');
      const name = document.createElement('strong');
      name.textContent = h.id;
      head.append(name, ` · ${h.topic} · ${h.risk} `);
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t('studio-intents-open');
      b.onclick = () => open(`file:${h.file}`);
      head.append(b);
      const lines = document.createElement('ul');
      for (const e of h.examples) {
        const x = document.createElement('li');
        x.textContent = `${e.lang} · ${t('studio-intents-example', { risk: e.risk })}: ${e.text}`;
        lines.append(x);
      }
      for (const p of h.lexicon) {
        const x = document.createElement('li');
        x.className = 'phrase';
        x.textContent = `${p.lang} · ${t('studio-intents-phrase')}: ${p.phrase}`;
        lines.append(x);
      }
      li.append(head, lines);
      return li;
    }),
  );
}
