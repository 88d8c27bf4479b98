import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigInvalidError,
  listProfiles,
  loadConfig,
  mergeLayers,
  parseConfig,
} from '../../../config/load.ts';
import { configSchema } from '../../../config/schema.ts';
import { DEFAULT_SETTINGS, settingsFromConfig } from '../../../kiosk/core/settings.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'eid-config-'));
const profilesDir = path.join(dir, 'profiles');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
function profile(name: string, content: unknown): void {
  mkdirSync(profilesDir, { recursive: true });
  writeFileSync(path.join(profilesDir, `${name}.json`), JSON.stringify(content));
}

function error(f: () => unknown): { code: string; message: string; issues?: readonly string[] } {
  try {
    f();
  } catch (e) {
    if (!isKioskError(e)) throw e;
    return {
      code: e.code,
      message: e.message,
      ...(e instanceof ConfigInvalidError ? { issues: e.issues } : {}),
    };
  }
  throw new Error('expected a KioskError');
}

describe('loadConfig', () => {
  it('with nothing given: the schema defaults, deep-frozen', () => {
    const c = loadConfig();
    expect(c.timeouts.faceMs).toBe(30_000);
    expect(c.attendant.pinHash).toBeNull();
    expect(c.ui.defaultLanguage).toBe('zh-Hans');
    expect(c.profile).toBe('custom');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.timeouts)).toBe(true);
    expect(Object.isFrozen(c.checkIn.requiredDevices)).toBe(true);
    expect(() => {
      (c.timeouts as { faceMs: number }).faceMs = 1;
    }).toThrow(TypeError);
  });

  it('the machine default settings equal the schema defaults', () => {
    expect(settingsFromConfig(loadConfig())).toEqual(DEFAULT_SETTINGS);
  });

  it('the machine takes its challenge length from face.challengeLength and its time zone from venue.timeZone', () => {
    const c = loadConfig({
      overrides: { face: { challengeLength: 3 }, venue: { timeZone: 'Europe/Madrid' } } as never,
    });
    expect(settingsFromConfig(c)).toMatchObject({ challengeLength: 3, timeZone: 'Europe/Madrid' });
    expect(error(() => loadConfig({ overrides: { checkIn: { challengeLength: 3 } } as never })).message).toBe(
      'overrides: checkIn.challengeLength: unknown key',
    );
  });

  it('joins defaults ← profile ← file ← overrides; objects merge, arrays are replaced', () => {
    profile('test-cafe', {
      venueName: 'Profile Café',
      timeouts: { faceMs: 20_000, resultMs: 8_000 },
      checkIn: { requiredDevices: ['camera', 'reader'] },
    });
    const file = write('kiosk.json', { venueName: 'Station 3', timeouts: { resultMs: 5_000 } });
    const c = loadConfig({
      profile: 'test-cafe',
      profilesDir,
      file,
      overrides: { checkIn: { requiredDevices: ['scanner'] }, ui: { defaultLanguage: 'en' } },
    });
    expect(c.profile).toBe('test-cafe');
    expect(c.venueName).toBe('Station 3');
    expect(c.timeouts).toMatchObject({ faceMs: 20_000, resultMs: 5_000, decideMs: 10_000 });
    expect(c.checkIn.requiredDevices).toEqual(['scanner']);
    expect(c.ui.defaultLanguage).toBe('en');
  });

  it('names the file and the key path of a bad value', () => {
    const file = write('bad-type.json', { timeouts: { faceMs: 'x' } });
    const e = error(() => loadConfig({ file }));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toBe(`${file}: timeouts.faceMs: expected number, got "x"`);
  });

  it('reports every unknown key and bad value at once', () => {
    const file = write('many.json', {
      venuName: 'typo',
      ui: { defaultLanguage: 'fr', lang: 'en' },
      attendant: { maxAttempts: 0, pinHash: 'plain-text-pin' },
    });
    const e = error(() => loadConfig({ file }));
    expect(e.code).toBe('E_CONFIG_INVALID');
    const lines = (e.issues ?? []).map((l) => l.slice(file.length + 2));
    expect(lines).toEqual(
      expect.arrayContaining([
        'venuName: unknown key',
        'ui.lang: unknown key',
        expect.stringMatching(
          /^ui\.defaultLanguage: expected one of "zh-Hans", "zh-Hant", "en", "es", got "fr"$/,
        ),
        expect.stringMatching(/^attendant\.maxAttempts: .*got 0$/),
        expect.stringMatching(/^attendant\.pinHash: expected scrypt/),
      ]),
    );
    expect(lines).toHaveLength(5);
  });

  it('blames the profile file for a problem in the profile, the overrides for theirs', () => {
    profile('broken', { timeouts: { reviewMs: -1 } });
    const e = error(() => loadConfig({ profile: 'broken', profilesDir }));
    expect(e.message).toMatch(
      new RegExp(
        `^${path.join(profilesDir, 'broken.json').replace(/[.\\]/g, '\\$&')}: timeouts\\.reviewMs: `,
      ),
    );
    const o = error(() => loadConfig({ overrides: { checkIn: { requiredDevices: ['printer'] } } as never }));
    expect(o.message).toMatch(/^overrides: checkIn\.requiredDevices\[0\]: expected one of/);
  });

  it('unreadable, missing and non-JSON files are E_CONFIG_UNREADABLE; a non-object is E_CONFIG_INVALID', () => {
    expect(error(() => loadConfig({ file: path.join(dir, 'nope.json') }))).toMatchObject({
      code: 'E_CONFIG_UNREADABLE',
      message: expect.stringContaining('ENOENT'),
    });
    expect(error(() => loadConfig({ file: write('trailing.json', '{"venueName": "x",}') }))).toMatchObject({
      code: 'E_CONFIG_UNREADABLE',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(error(() => loadConfig({ file: write('empty.json', '') })).code).toBe('E_CONFIG_UNREADABLE');
    expect(error(() => loadConfig({ file: dir })).code).toBe('E_CONFIG_UNREADABLE');
    expect(error(() => loadConfig({ file: write('array.json', '[1,2]') }))).toMatchObject({
      code: 'E_CONFIG_INVALID',
      message: expect.stringContaining('expected an object, got an array'),
    });
  });

  it('accepts a UTF-8 byte-order mark and Chinese values', () => {
    const file = write('bom.json', '\uFEFF{"venueName": "星空网咖 3 号机"}');
    expect(loadConfig({ file }).venueName).toBe('星空网咖 3 号机');
  });

  it('an unknown profile lists the known ones; a profile name cannot leave the profiles folder', () => {
    profile('test-hotel', {});
    const e = error(() => loadConfig({ profile: 'stadium', profilesDir }));
    expect(e.code).toBe('E_CONFIG_UNREADABLE');
    expect(e.message).toContain('test-cafe');
    expect(e.message).toContain('test-hotel');
    expect(error(() => loadConfig({ profile: '../load', profilesDir })).code).toBe('E_CONFIG_INVALID');
    expect(listProfiles(profilesDir)).toEqual(expect.arrayContaining(['broken', 'test-cafe', 'test-hotel']));
    expect(listProfiles(path.join(dir, 'missing'))).toEqual([]);
  });

  it('a profile file may not rename itself to an invalid profile name', () => {
    profile('renamed', { profile: 'Not A Name' });
    expect(error(() => loadConfig({ profile: 'renamed', profilesDir })).message).toMatch(
      /renamed\.json: profile: /,
    );
  });
});

describe('parseConfig and mergeLayers', () => {
  it('parseConfig validates one whole object and labels errors with the given name', () => {
    expect(parseConfig({ venueName: 'X' }, 'inline').venueName).toBe('X');
    expect(error(() => parseConfig({ timeouts: { actMs: 10 } }, 'inline')).message).toMatch(
      /^inline: timeouts\.actMs: /,
    );
    expect(error(() => parseConfig(null, 'inline')).message).toBe(
      'inline: (root): expected an object, got null',
    );
  });

  it('mergeLayers: later wins, objects merge deeply, null replaces', () => {
    expect(mergeLayers({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null }, { a: { e: 3 } })).toEqual({
      a: { b: 1, c: [2], e: 3 },
      d: null,
    });
  });

  it('every core key has a default (an empty object parses)', () => {
    const r = configSchema.safeParse({});
    expect(r.success).toBe(true);
  });
});

describe('loadConfig with random bad input (seeded)', () => {
  // xorshift32: the same cases every run
  let state = 0x2f6b_1d3a;
  const rnd = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const values: unknown[] = [
    'x',
    '',
    -1,
    0,
    1.5,
    1e12,
    true,
    null,
    [],
    ['camera'],
    {},
    { a: 1 },
    'zh-Hans',
    'scrypt$1$1$1$a$b',
  ];
  const paths = [
    ['venueName'],
    ['profile'],
    ['timeouts', 'faceMs'],
    ['timeouts', 'noticeMs'],
    ['timeouts', 'bogus'],
    ['attendant', 'pinHash'],
    ['attendant', 'maxAttempts'],
    ['ui', 'defaultLanguage'],
    ['ui'],
    ['checkIn', 'requiredDevices'],
    ['checkIn', 'onActionFailure'],
    ['extra'],
    ['version'],
  ];

  it('either parses or throws E_CONFIG_INVALID naming the file and the key it broke, 400 cases', () => {
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const p = pick(paths);
      const v = pick(values);
      const obj: Record<string, unknown> = {};
      let cur = obj;
      p.forEach((k, j) => {
        if (j === p.length - 1) cur[k] = v;
        else cur = (cur[k] = {}) as Record<string, unknown>;
      });
      const file = write(`fuzz-${i}.json`, obj);
      try {
        const c = loadConfig({ file });
        expect(Object.isFrozen(c)).toBe(true);
      } catch (e) {
        rejected++;
        expect(isKioskError(e), String(e)).toBe(true);
        const err = e as ConfigInvalidError;
        expect(err.code).toBe('E_CONFIG_INVALID');
        expect(err.issues.length).toBeGreaterThan(0);
        for (const line of err.issues) {
          expect(line.startsWith(`${file}: `), line).toBe(true);
          expect(line.slice(file.length + 2).startsWith(p[0] ?? '?'), line).toBe(true);
        }
      }
    }
    expect(rejected).toBeGreaterThan(200);
    expect(rejected).toBeLessThan(400);
  });
});
