// Keeps docs/config.md and docs/core.md in step with the code, and checks the shipped venue profiles load.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listProfiles, loadConfig } from '../../../config/load.ts';
import { coreSection } from '../../../config/schema/core.ts';
import { AUDIT_TYPES } from '../../../kiosk/core/audit-input.ts';
import { createActor } from 'xstate';
import { checkInMachine, KIOSK_EVENT_TYPES } from '../../../kiosk/core/machine.ts';
import { settingsFromConfig } from '../../../kiosk/core/settings.ts';
import { toView } from '../../../kiosk/core/view.ts';

const configDoc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
const coreDoc = readFileSync(new URL('../../../docs/core.md', import.meta.url), 'utf8');

/** Leaf key paths of the core section (objects are walked; everything else is a leaf). */
function leafKeys(shape: Record<string, z.ZodType>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, schema] of Object.entries(shape)) {
    let s: z.ZodType = schema;
    // unwrap default / prefault / nullable to find an object
    for (let i = 0; i < 5; i++) {
      const def = (s as unknown as { def: { innerType?: z.ZodType } }).def;
      if (def.innerType) s = def.innerType;
      else break;
    }
    if (s instanceof z.ZodObject)
      out.push(...leafKeys(s.shape as Record<string, z.ZodType>, `${prefix}${k}.`));
    else out.push(`${prefix}${k}`);
  }
  return out;
}

describe('docs stay in step', () => {
  it('docs/config.md documents every core key with its default', () => {
    const keys = leafKeys(coreSection);
    expect(keys).toContain('timeouts.faceMs');
    expect(keys).toContain('attendant.pinHash');
    const defaults = loadConfig() as unknown as Record<string, unknown>;
    for (const key of keys) {
      const row = configDoc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
      expect(row, key).toBeDefined();
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], defaults);
      const shown =
        typeof value === 'string'
          ? `'${value}'`
          : Array.isArray(value)
            ? `[${value.map((v) => `'${String(v)}'`).join(', ')}]`
            : String(value);
      expect(row, key).toContain(`\`${shown}\``);
    }
  });

  it('docs/core.md names every event and every audit type', () => {
    for (const t of KIOSK_EVENT_TYPES) expect(coreDoc, t).toContain(`\`${t}`);
    for (const t of AUDIT_TYPES) expect(coreDoc, t).toContain(`\`${t}\``);
  });
});

describe('shipped venue profiles', () => {
  it('internet-cafe, stadium-gate and hotel-front-desk exist and load', () => {
    const names = listProfiles();
    for (const name of ['internet-cafe', 'stadium-gate', 'hotel-front-desk']) {
      expect(names).toContain(name);
      const c = loadConfig({ profile: name });
      expect(c.profile).toBe(name);
      expect(Object.isFrozen(c)).toBe(true);
    }
  });
});

describe('shipped profiles drive the machine', () => {
  for (const name of ['internet-cafe', 'stadium-gate', 'hotel-front-desk']) {
    it(`${name}: losing each required device shows the fault screen, and only those`, () => {
      const config = loadConfig({ profile: name });
      const settings = settingsFromConfig(config);
      expect(settings.profile).toBe(name);
      expect(settings.timeZone).toBe('Asia/Shanghai');
      for (const device of ['reader', 'mrz', 'scanner', 'camera', 'relay', 'backend'] as const) {
        const actor = createActor(checkInMachine, { input: { settings } }).start();
        actor.send({ type: 'device.lost', device });
        const screen = toView(actor.getSnapshot()).screen;
        expect(screen, device).toBe(settings.requiredDevices.includes(device) ? 'fault' : 'welcome');
        expect(toView(actor.getSnapshot()).venue).toEqual({ profile: name, name: config.venueName });
        actor.stop();
      }
    });
  }
});
