// The audit adapter on the real runtime: a full disk or an I/O error on append is reported as a fault (code and
// event type only) and the machine's audit action carries on; other errors still surface.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { auditSection } from '../../../config/schema/audit.ts';
import { auditAdapterFromRuntime } from '../../../kiosk/main/real-adapters.ts';
import { KioskError } from '../../../kiosk/shared/errors.ts';
import { startAuditRuntime } from '../../../kiosk/sync/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'eid-audit-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = { type: 'device.lost', device: 'reader', required: true, at: Date.now() } as const;

describe('audit adapter', () => {
  it('appends to the real store, and turns disk faults into reported faults', async () => {
    const rt = startAuditRuntime({ config: auditSection.parse({}), dataDir: dir });
    const faults: string[] = [];
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    let fail: 'E_AUDIT_DISK_FULL' | 'E_AUDIT_IO' | 'other' | undefined;
    const adapter = auditAdapterFromRuntime(
      {
        append: (e) => {
          if (fail === 'other') throw new Error('boom');
          if (fail) throw new KioskError(fail, 'simulated');
          return rt.append(e);
        },
      },
      log,
      (c) => faults.push(c),
    );
    const before = rt.store().events(1, 100).length;
    adapter.record(event as never, Date.now());
    expect(rt.store().events(1, 100).length).toBe(before + 1);
    fail = 'E_AUDIT_DISK_FULL';
    expect(() => adapter.record(event as never, Date.now())).not.toThrow();
    fail = 'E_AUDIT_IO';
    expect(() => adapter.record(event as never, Date.now())).not.toThrow();
    expect(faults).toEqual(['E_AUDIT_DISK_FULL', 'E_AUDIT_IO']);
    expect(lines.join('')).toContain('E_AUDIT_DISK_FULL');
    fail = 'other';
    expect(() => adapter.record(event as never, Date.now())).toThrow('boom');
    expect(rt.store().events(1, 100).length).toBe(before + 1);
    await rt.close();
  });
});
