// Four complete languages, switchable on screen. Keys are flat: `ui.<key>`, `reason.<code>`, `hint.<hint>`,
// `screen.<screen>`, `outcome.<outcome>`, `source.<source>`, `device.<name>`, `deviceFix.<name>`,
// `status.<status>`, `notice.<notice>`. Pure.
import type { Language } from '../contract.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import type { Messages } from './messages.ts';
import { zhHans } from './zh-hans.ts';
import { zhHant } from './zh-hant.ts';

export type UiKey = keyof typeof en.ui;
export type { Messages };

export const MESSAGES: Readonly<Record<Language, Messages>> = {
  'zh-Hans': zhHans,
  'zh-Hant': zhHant,
  en,
  es,
};

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  en: 'English',
  es: 'Español',
};

/** Every key of a language, flattened: 'reason.underage' → text. */
export function flatten(m: Messages): Map<string, string> {
  const out = new Map<string, string>();
  for (const [group, table] of Object.entries(m)) {
    for (const [k, v] of Object.entries(table as Record<string, string>)) out.set(`${group}.${k}`, v);
  }
  return out;
}

const FLAT: Readonly<Record<Language, Map<string, string>>> = {
  'zh-Hans': flatten(zhHans),
  'zh-Hant': flatten(zhHant),
  en: flatten(en),
  es: flatten(es),
};

/**
 * Translates a flat key, filling `{name}` placeholders. A missing key falls back to English and then to the
 * key itself (the unit tests make sure neither happens).
 */
export function t(lang: Language, key: string, vars?: Readonly<Record<string, string | number>>): string {
  const text = FLAT[lang].get(key) ?? FLAT.en.get(key) ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function hasKey(lang: Language, key: string): boolean {
  return FLAT[lang].has(key);
}
