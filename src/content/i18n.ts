import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';

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

  /** sources: locale → Fluent text; ids: locale → message ids (from the syntax parse). */
  static fromSources(sources: Map<string, string>, defaultLocale: string, ids: Map<string, string[]>, facts: (locale: string) => Args = () => ({})): I18n {
    const bundles = new Map<string, FluentBundle>();
    for (const [locale, source] of sources) {
      // No bidi isolation marks: messengers show them as stray characters.
      const bundle = new FluentBundle(locale, { useIsolating: false });
      bundle.addResource(new FluentResource(source));
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

  /** Message ids of a locale (for canned replies and checks). */
  ids(locale: string, prefix = ''): string[] {
    return (this.messageIds.get(locale) ?? []).filter((k) => k.startsWith(prefix));
  }
}
