// The script map (issue 16 item 1): every step as a card with its words and where its buttons
// lead, navigable by clicking an arrow; a step opens as a form — its message, its buttons with
// label and target, add, reorder, remove — saved to the draft as the step's item. Deleting a
// step something still points at is refused, with the list of what does (the server says so too).

import type { MapStep } from '../../src/studio/shapes';

export interface MapDeps {
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  t: (id: string, args?: Record<string, string | number>) => string;
  draftId: () => string | null;
  /** Every message id (for the step's text and the buttons' labels). */
  messageIds: () => string[];
  /** The draft changed: the rest of the page reloads what it shows. */
  saved: () => Promise<void>;
  /** Opens a message in the text editor. */
  openItem: (key: string) => void;
  /** The locales with the page's language first. */
  pageFirst: (locales: string[]) => string[];
}

const ACTIONS = ['counselor', 'crisis', 'menu', 'end', 'leave_queue'];
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};
const byId = (id: string) => document.getElementById(id)!;

let steps: MapStep[] = [];
let locales: string[] = [];
let deps: MapDeps;

/** "step menu, intent school_stress, the bot itself" in the page's words. */
function usedWords(usedBy: string[]): string {
  return usedBy
    .map((u) => {
      if (u === 'bot') return deps.t('studio-used-bot');
      const [kind, what] = u.split(':');
      return deps.t(kind === 'intent' ? 'studio-used-intent' : 'studio-used-step', { what: what ?? u });
    })
    .join(', ');
}

function select(options: { value: string; text: string }[], value: string, cls: string): HTMLSelectElement {
  const s = el('select', undefined, cls);
  for (const o of options) {
    const opt = el('option', o.text);
    opt.value = o.value;
    s.append(opt);
  }
  s.value = value;
  return s;
}

/** The step as scripts.yaml holds it; ids are lower_snake_case or message ids, safe unquoted. */
export function stepYaml(text: string, buttons: { label: string; goto?: string; action?: string }[]): string {
  const lines = [`text: ${text}`];
  if (buttons.length) {
    lines.push('buttons:');
    for (const b of buttons) lines.push(`  - label: ${b.label}`, b.goto ? `    goto: ${b.goto}` : `    action: ${b.action}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function refreshMap(): Promise<void> {
  const id = deps.draftId();
  const r = await deps.api('GET', `/api/studio/map${id ? `?draft=${encodeURIComponent(id)}` : ''}`);
  if (r.status !== 200) return;
  steps = r.json.steps as MapStep[];
  locales = deps.pageFirst(r.json.locales as string[]);
  const lang = locales[0] ?? 'ru';
  byId('map').replaceChildren(
    ...steps.map((s) => {
      const card = el('li', undefined, 'step');
      card.id = `map-${s.id}`;
      const open = el('button', s.id, 'step-id');
      open.type = 'button';
      open.dataset.step = s.id;
      open.title = deps.t('studio-map-open');
      open.onclick = () => openStep(s.id);
      const words = el('p', (s.texts[lang] ?? deps.t('studio-missing')).slice(0, 140), 'step-text');
      const arrows = el('ul', undefined, 'arrows');
      for (const b of s.buttons) {
        const a = el('li');
        const label = b.labels[lang] ?? b.label;
        if (b.goto) {
          const go = el('button', `${label} → ${b.goto}`, 'arrow');
          go.type = 'button';
          go.dataset.goto = b.goto;
          go.onclick = () => {
            byId(`map-${b.goto}`)?.scrollIntoView({ block: 'center' });
            openStep(b.goto!);
          };
          a.append(go);
        } else a.textContent = `${label} ⇒ ${deps.t(`studio-action-${b.action}`)}`;
        arrows.append(a);
      }
      card.append(open, words, arrows);
      return card;
    }),
  );
}

function openStep(id: string): void {
  const s = steps.find((x) => x.id === id);
  if (!s) return;
  const form = byId('step-form');
  form.hidden = false;
  byId('step-status').textContent = '';
  const messages = deps.messageIds().map((m) => ({ value: m, text: m }));
  const targets = [
    ...steps.map((x) => ({ value: `goto:${x.id}`, text: deps.t('studio-step-to-step', { what: x.id }) })),
    ...ACTIONS.map((a) => ({ value: `action:${a}`, text: deps.t(`studio-action-${a}`) })),
  ];
  const text = select(messages, s.text, 'step-message');
  const sideBySide = el('dl', undefined, 'texts');
  const showTexts = () => {
    const t = steps.find((x) => x.id === id)?.text === text.value ? s.texts : null;
    sideBySide.replaceChildren(
      ...locales.flatMap((l) => {
        const dd = el('dd', t ? (t[l] ?? deps.t('studio-missing')) : '…');
        if (t && t[l] === null) dd.className = 'missing';
        const edit = el('button', deps.t('studio-edit'), 'edit');
        edit.type = 'button';
        edit.onclick = () => deps.openItem(`message:${l}:${text.value}`);
        dd.append(' ', edit);
        return [el('dt', l), dd];
      }),
    );
  };
  text.onchange = showTexts;
  showTexts();

  const rows = el('ol', undefined, 'buttons');
  const addRow = (b: { label: string; goto?: string; action?: string }) => {
    const row = el('li', undefined, 'button-row');
    const label = select(messages, b.label, 'label');
    const target = select(targets, b.goto ? `goto:${b.goto}` : `action:${b.action}`, 'target');
    const mk = (word: string, cls: string, fn: () => void) => {
      const x = el('button', deps.t(word), cls);
      x.type = 'button';
      x.onclick = fn;
      return x;
    };
    row.append(
      el('span', deps.t('studio-step-label')), label, el('span', deps.t('studio-step-goes')), target,
      mk('studio-step-up', 'up', () => row.previousElementSibling && rows.insertBefore(row, row.previousElementSibling)),
      mk('studio-step-down', 'down', () => row.nextElementSibling && rows.insertBefore(row.nextElementSibling, row)),
      mk('studio-step-remove', 'remove', () => row.remove()),
    );
    rows.append(row);
  };
  s.buttons.forEach(addRow);
  const add = el('button', deps.t('studio-step-add-button'), 'add-button');
  add.type = 'button';
  add.onclick = () => addRow({ label: messages.find((m) => m.value.startsWith('btn-'))?.value ?? messages[0]!.value, action: 'menu' });

  const save = el('button', deps.t('studio-step-save'), 'save-step');
  save.type = 'button';
  save.onclick = () => {
    const buttons = [...rows.querySelectorAll('li')].map((row) => {
      const label = (row.querySelector('select.label') as HTMLSelectElement).value;
      const [kind, target] = (row.querySelector('select.target') as HTMLSelectElement).value.split(':') as [string, string];
      return kind === 'goto' ? { label, goto: target } : { label, action: target };
    });
    void putStep(id, stepYaml(text.value, buttons));
  };
  const del = el('button', deps.t('studio-step-delete'), 'delete-step');
  del.type = 'button';
  del.onclick = () => {
    if (s.usedBy.length) {
      byId('step-status').textContent = deps.t('studio-step-in-use', { what: usedWords(s.usedBy) });
      return;
    }
    void putStep(id, null);
  };
  form.replaceChildren(
    el('h3', deps.t('studio-step', { what: id })),
    el('p', s.usedBy.length ? deps.t('studio-step-used-by', { what: usedWords(s.usedBy) }) : deps.t('studio-step-unused'), 'used-by'),
    el('h4', deps.t('studio-step-text')),
    text,
    sideBySide,
    el('h4', deps.t('studio-step-buttons')),
    rows,
    add,
    el('div', undefined, 'row'),
  );
  form.lastElementChild!.append(save, del);
}

/** Saves the step's item in the draft at its current revision (null deletes it). */
async function putStep(id: string, value: string | null): Promise<void> {
  const draft = deps.draftId();
  if (!draft) {
    byId('step-status').textContent = deps.t('studio-step-need-draft');
    return;
  }
  const key = `step:${id}`;
  const view = (await deps.api('GET', `/api/studio/drafts/${draft}`)).json as { items: Record<string, { rev: number }> };
  const r = await deps.api('POST', `/api/studio/drafts/${draft}/items`, { key, value, rev: view.items[key]?.rev ?? 0 });
  if (r.status === 200) {
    if (value === null) byId('step-form').hidden = true;
    await deps.saved();
    await refreshMap();
    if (value !== null) openStep(id);
    // After the form is drawn again (opening a step clears the status line).
    byId('step-status').textContent = deps.t('studio-saved');
  } else if (r.json?.code === 'step_in_use') {
    byId('step-status').textContent = deps.t('studio-step-in-use', { what: usedWords(r.json.usedBy as string[]) });
  } else {
    byId('step-status').textContent = deps.t('studio-error', { error: r.json?.error ?? r.status });
  }
}

export function setupMap(d: MapDeps): void {
  deps = d;
  byId('create-step').addEventListener('click', () => {
    const input = byId('new-step') as HTMLInputElement;
    const id = input.value.trim();
    if (!/^[a-z][a-z0-9_]*$/.test(id) || steps.some((s) => s.id === id)) {
      byId('step-status').textContent = deps.t('studio-step-new');
      return;
    }
    input.value = '';
    void putStep(id, stepYaml('menu', [{ label: 'btn-menu', action: 'menu' }]));
  });
}
