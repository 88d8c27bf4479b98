// Four complete languages: every key in every language, every ReasonCode / FaceHint / Screen / device has one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_SOURCES,
  DECISION_OUTCOMES,
  DEVICE_NAMES,
  DEVICE_STATUSES,
  FACE_HINTS,
  LANGUAGES,
  REASON_CODES,
  SCREENS,
} from '../../../kiosk/shared/contract.ts';
import { MESSAGES, flatten, hasKey, t } from '../../../kiosk/shared/i18n/index.ts';

/** Members of a string-literal union, read from the source (so an appended member is seen at once). */
function unionMembers(file: string, name: string): string[] {
  const src = readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
  const m = new RegExp(`export type ${name} =([\\s\\S]*?);`).exec(src);
  if (!m?.[1]) throw new Error(`${name} not found in ${file}`);
  const body = m[1].replace(/\/\/.*$/gm, '');
  const literals = [...body.matchAll(/'([^']+)'/g)].map((x) => x[1]!);
  const refs = [...body.matchAll(/\|\s*([A-Z][A-Za-z]+)/g)].map((x) => x[1]!);
  return [...literals, ...refs.flatMap((r) => unionMembers(file, r))];
}

describe('i18n', () => {
  const en = flatten(MESSAGES.en);

  it.each(LANGUAGES)('%s has exactly the English key set, every text non-empty', (lang) => {
    const flat = flatten(MESSAGES[lang]);
    expect([...flat.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [k, v] of flat) expect(v.trim(), `${lang} ${k}`).not.toBe('');
  });

  it('has a reason.<code> for every ReasonCode in kiosk/core/types.ts, in all four languages', () => {
    const codes = unionMembers('kiosk/core/types.ts', 'ReasonCode');
    expect(codes.length).toBeGreaterThan(20);
    expect([...codes].sort()).toEqual([...REASON_CODES].sort());
    for (const lang of LANGUAGES)
      for (const c of codes) expect(hasKey(lang, `reason.${c}`), `${lang} reason.${c}`).toBe(true);
  });

  it('has a hint.<hint> for every FaceHint (challenge steps included)', () => {
    const hints = unionMembers('kiosk/core/types.ts', 'FaceHint');
    expect(hints).toContain('blink');
    expect([...hints].sort()).toEqual([...FACE_HINTS].sort());
    for (const lang of LANGUAGES)
      for (const h of hints) expect(hasKey(lang, `hint.${h}`), `${lang} hint.${h}`).toBe(true);
  });

  it('has a screen.<screen> for every Screen in kiosk/shared/view.ts', () => {
    const screens = unionMembers('kiosk/shared/view.ts', 'Screen');
    expect([...screens].sort()).toEqual([...SCREENS].sort());
    for (const lang of LANGUAGES) for (const s of screens) expect(hasKey(lang, `screen.${s}`)).toBe(true);
  });

  it('names and explains every device, status, outcome and source', () => {
    for (const lang of LANGUAGES) {
      for (const d of DEVICE_NAMES) {
        expect(hasKey(lang, `device.${d}`)).toBe(true);
        expect(hasKey(lang, `deviceFix.${d}`)).toBe(true);
      }
      for (const s of DEVICE_STATUSES) expect(hasKey(lang, `status.${s}`)).toBe(true);
      for (const o of DECISION_OUTCOMES) expect(hasKey(lang, `outcome.${o}`)).toBe(true);
      for (const s of CREDENTIAL_SOURCES) expect(hasKey(lang, `source.${s}`)).toBe(true);
    }
  });

  it('keeps placeholders the same in every language', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of LANGUAGES) {
      for (const [k, v] of flatten(MESSAGES[lang]))
        expect(holes(v), `${lang} ${k}`).toEqual(holes(en.get(k)!));
    }
  });

  it('fills placeholders and really differs between languages', () => {
    expect(t('en', 'ui.countdown', { s: 7 })).toBe('7 s left');
    expect(t('zh-Hans', 'ui.countdown', { s: 7 })).toBe('剩余 7 秒');
    expect(t('zh-Hans', 'reason.underage')).not.toBe(t('zh-Hant', 'reason.underage'));
    expect(t('es', 'reason.timeout')).not.toBe(t('en', 'reason.timeout'));
    // Simplified and Traditional really use their own characters.
    expect(t('zh-Hans', 'ui.app.title')).toContain('验');
    expect(t('zh-Hant', 'ui.app.title')).toContain('驗');
  });
});
