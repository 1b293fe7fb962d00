import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import type { Expression, Pattern } from '@fluent/bundle/esm/ast.js';

export type Args = Record<string, FluentVariable>;

/** Every word the bot says, per language, with fallback to the default language. */
export class I18n {
  constructor(
    private bundles: Map<string, FluentBundle>,
    readonly defaultLocale: string,
    private messageIds: Map<string, string[]>,
    /** Variables every message may use (the service's facts from configuration, per locale); a caller's own args win. */
    private facts: (locale: string) => Args = () => ({}),
  ) {}

  /** sources: locale → Fluent text (or the texts of its files); ids: locale → message ids (from the syntax parse). */
  static fromSources(sources: Map<string, string | string[]>, defaultLocale: string, ids: Map<string, string[]>, facts: (locale: string) => Args = () => ({})): I18n {
    const bundles = new Map<string, FluentBundle>();
    for (const [locale, source] of sources) {
      // No bidi isolation marks: messengers show them as stray characters.
      const bundle = new FluentBundle(locale, { useIsolating: false });
      for (const text of typeof source === 'string' ? [source] : source) bundle.addResource(new FluentResource(text));
      bundles.set(locale, bundle);
    }
    // Worked out once per locale: the facts change only with the configuration.
    const perLocale = new Map([...bundles.keys()].map((l) => [l, facts(l)] as const));
    return new I18n(bundles, defaultLocale, ids, (l) => perLocale.get(l) ?? facts(l));
  }

  get locales(): string[] {
    return [...this.bundles.keys()];
  }

  has(locale: string): boolean {
    return this.bundles.has(locale);
  }

  /** Picks the supported locale for a hint like "en-US"; the default otherwise. */
  resolve(hint: string | undefined): string {
    if (!hint) return this.defaultLocale;
    const base = hint.toLowerCase().split(/[-_]/)[0] ?? '';
    return this.bundles.has(base) ? base : this.defaultLocale;
  }

  hasMessage(locale: string, id: string): boolean {
    return this.bundles.get(locale)?.hasMessage(id) ?? false;
  }

  t(locale: string, id: string, args?: Args): string {
    for (const loc of [locale, this.defaultLocale]) {
      const bundle = this.bundles.get(loc);
      const msg = bundle?.getMessage(id);
      if (bundle && msg?.value) return bundle.formatPattern(msg.value, { ...this.facts(loc), ...args });
    }
    return id;
  }

  /**
   * A message for a page that fills its own variables (the console): formatted with the service's
   * facts, every other variable left as "{$name}" for the page to fill. The content check keeps
   * selectors off those variables in the files that use this (console.*.ftl).
   */
  template(locale: string, id: string): string {
    for (const loc of [locale, this.defaultLocale]) {
      const bundle = this.bundles.get(loc);
      const msg = bundle?.getMessage(id);
      if (!bundle || !msg?.value) continue;
      const facts = this.facts(loc);
      const names = new Set<string>();
      variablesOf(msg.value, names);
      const own = Object.fromEntries([...names].filter((n) => !Object.hasOwn(facts, n)).map((n) => [n, `{$${n}}`]));
      return bundle.formatPattern(msg.value, { ...facts, ...own });
    }
    return id;
  }

  /** Message ids of a locale (for canned replies and checks). */
  ids(locale: string, prefix = ''): string[] {
    return (this.messageIds.get(locale) ?? []).filter((k) => k.startsWith(prefix));
  }
}

/** The variables a compiled pattern refers to (inside selectors and function calls too). */
function variablesOf(p: Pattern | Expression, out: Set<string>): void {
  if (typeof p === 'string') return;
  if (Array.isArray(p)) {
    for (const el of p) if (typeof el !== 'string') variablesOf(el, out);
    return;
  }
  switch (p.type) {
    case 'var':
      out.add(p.name);
      break;
    case 'select':
      variablesOf(p.selector, out);
      for (const v of p.variants) variablesOf(v.value, out);
      break;
    case 'func':
    case 'term':
      for (const a of p.args) variablesOf(a.type === 'narg' ? a.value : a, out);
      break;
    default:
      break;
  }
}
