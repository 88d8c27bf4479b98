import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeScrypt, pinHashLine, redacted, run } from '../../../kiosk/cli/commands/config.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { main } from '../../../kiosk/cli/main.ts';
import { parsePinHash, pinChecker } from '../../../kiosk/core/pin.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'eid-cli-config-'));
const profilesDir = path.join(dir, 'profiles');
mkdirSync(profilesDir);
writeFileSync(
  path.join(profilesDir, 'test-gate.json'),
  JSON.stringify({ venueName: 'Gate 7', ui: { defaultLanguage: 'en' } }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(content));
  return f;
}

describe('eid-kiosk config check', () => {
  it('prints OK and a summary for a good file, through the dispatcher', async () => {
    const f = file('good.json', { venueName: '星空网咖', timeouts: { faceMs: 25_000 } });
    const io = memoryIo();
    expect(await main(['config', 'check', f], io)).toBe(0);
    expect(io.stdout[0]).toBe(`OK ${f}`);
    expect(io.stdout.join('\n')).toContain('"星空网咖"');
    expect(io.stdout.join('\n')).toContain('face 25s');
    expect(io.stdout.join('\n')).toContain('no PIN set');
    expect(io.stderr).toEqual([]);
  });

  it('joins a profile under the file', async () => {
    const f = file('over-profile.json', { timeouts: { resultMs: 4_000 } });
    const io = memoryIo();
    expect(await run(['check', f, '--profile', 'test-gate', '--profiles-dir', profilesDir], io)).toBe(0);
    expect(io.stdout[0]).toBe(`OK ${f} (profile test-gate)`);
    expect(io.stdout.join('\n')).toMatch(/"Gate 7" · profile test-gate · language en/);
  });

  it('prints every error with its code, file and key, and exits 1', async () => {
    const f = file('bad.json', { timeouts: { faceMs: 'x' }, colour: 'red' });
    const io = memoryIo();
    expect(await run(['check', f], io)).toBe(1);
    expect(io.stderr).toEqual(
      expect.arrayContaining([
        `E_CONFIG_INVALID: ${f}: timeouts.faceMs: expected number, got "x"`,
        `E_CONFIG_INVALID: ${f}: colour: unknown key`,
      ]),
    );
    expect(io.stdout).toEqual([]);
  });

  it('--json gives one machine-readable line, and never the PIN hash', async () => {
    const bad = memoryIo();
    expect(await run(['check', path.join(dir, 'missing.json'), '--json'], bad)).toBe(1);
    const b = JSON.parse(bad.stdout[0] ?? '') as { ok: boolean; code: string; errors: string[] };
    expect(b).toMatchObject({ ok: false, code: 'E_CONFIG_UNREADABLE' });
    expect(b.errors[0]).toContain('ENOENT');

    const hash = await pinHashLine('2468\n');
    const f = file('with-pin.json', { attendant: { pinHash: hash } });
    const good = memoryIo();
    expect(await run(['check', f, '--json'], good)).toBe(0);
    const g = JSON.parse(good.stdout[0] ?? '') as { ok: boolean; config: { attendant: { pinHash: string } } };
    expect(g.ok).toBe(true);
    expect(g.config.attendant.pinHash).toBe('<set>');
    expect(good.stdout[0]).not.toContain(hash.split('$')[5] ?? 'x');
  });

  it('usage errors exit 2', async () => {
    for (const args of [['check'], [], ['frob'], ['check', 'a.json', 'b.json'], ['check', '--nope']]) {
      const io = memoryIo();
      expect(await run(args, io), args.join(' ')).toBe(2);
      expect(io.stderr[0]).toMatch(/^E_CLI_USAGE: /);
    }
  });

  it('config profiles lists the profiles; config show prints the effective config', async () => {
    const io = memoryIo();
    expect(await run(['profiles', '--profiles-dir', profilesDir], io)).toBe(0);
    expect(io.stdout).toEqual(['test-gate']);
    const show = memoryIo();
    expect(await run(['show', '--profile', 'test-gate', '--profiles-dir', profilesDir], show)).toBe(0);
    const c = JSON.parse(show.stdout.join('\n')) as { venueName: string; timeouts: { faceMs: number } };
    expect(c.venueName).toBe('Gate 7');
    expect(c.timeouts.faceMs).toBe(30_000);
  });
});

describe('eid-kiosk config schema', () => {
  it("prints a JSON Schema whose defaults and bounds are the zod schema's, and a file may point at it", async () => {
    const io = memoryIo();
    expect(await run(['schema'], io)).toBe(0);
    const js = JSON.parse(io.stdout.join('\n')) as {
      $schema: string;
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, { default?: unknown; minimum?: number }> }>;
    };
    expect(js.$schema).toContain('json-schema.org');
    expect(js.additionalProperties).toBe(false);
    expect(js.properties.timeouts?.properties?.faceMs).toMatchObject({ default: 30_000, minimum: 1_000 });
    expect(Object.keys(js.properties)).toEqual(
      expect.arrayContaining(['devices', 'face', 'audit', 'wallet', 'venue']),
    );
    const f = file('with-schema.json', { $schema: './kiosk.schema.json', venueName: 'X' });
    expect(await run(['check', f], memoryIo())).toBe(0);
  });
});

describe('redacted', () => {
  it('hides values of secret-looking keys at any depth, keeps file paths and empty values', () => {
    expect(
      redacted({
        attendant: { pinHash: 'scrypt$…', maxAttempts: 5 },
        x: { apiToken: 'abc', secretFile: '/etc/k', list: [{ password: 'p' }] },
        none: { pinHash: null, secret: '' },
      }),
    ).toEqual({
      attendant: { pinHash: '<set>', maxAttempts: 5 },
      x: { apiToken: '<set>', secretFile: '/etc/k', list: [{ password: '<set>' }] },
      none: { pinHash: null, secret: '' },
    });
  });
});

describe('eid-kiosk config pin-hash', () => {
  it('makes a salted scrypt hash that checks the right PIN and refuses others', async () => {
    const io = memoryIo();
    expect(await run(['pin-hash'], io, async () => '135790\n')).toBe(0);
    const line = io.stdout[0] ?? '';
    const h = parsePinHash(line);
    expect(h).toBeDefined();
    expect(h?.N).toBe(32768);
    expect(h?.salt.length).toBe(16);
    const check = pinChecker(line, nodeScrypt);
    expect(await check('135790')).toBe(true);
    expect(await check('135791')).toBe(false);
    // salted: the same PIN gives another hash
    const again = memoryIo();
    await run(['pin-hash'], again, async () => '135790');
    expect(again.stdout[0]).not.toBe(line);
  });

  it('refuses a PIN that is not 4–12 digits', async () => {
    const io = memoryIo();
    expect(await run(['pin-hash'], io, async () => 'abc\n')).toBe(2);
    expect(io.stderr[0]).toContain('4 to 12 digits');
  });
});
