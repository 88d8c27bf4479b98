// The kiosk's event store on real SQLite files: durability settings, chain, append-only triggers, privacy,
// retention, key handling, clock jumps, a full disk.
import { readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditStore, verifyStoreFile } from '../../../kiosk/audit/store.ts';
import type { AuditStore } from '../../../kiosk/audit/store.ts';
import { generateX25519, unseal } from '../../../kiosk/audit/crypto.ts';
import { sealContext } from '../../../kiosk/audit/event.ts';
import {
  loadOrCreateTerminalIdentity,
  TERMINAL_KEY_FILE,
  loadOrCreateVenueSecret,
} from '../../../kiosk/audit/identity.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';
import { DOC, decision, review, tempDir } from '../backend/harness.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { run as auditCli } from '../../../kiosk/cli/commands/audit.ts';

const dirs: string[] = [];
const stores: AuditStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(extra: Partial<Parameters<typeof openAuditStore>[0]> = {}, dir = tempDir()) {
  dirs.push(dir);
  const s = openAuditStore({
    path: join(dir, 'audit.sqlite'),
    keyDir: join(dir, 'keys'),
    venueSecret: 'venue-secret-for-tests-0001',
    ...extra,
  });
  stores.push(s);
  return { s, dir, path: join(dir, 'audit.sqlite') };
}

function errCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isKioskError(e) ? e.code : `other: ${(e as Error).message}`;
  }
  return undefined;
}

describe('audit store', () => {
  it('runs WAL with synchronous=FULL and a migrated schema', () => {
    const { s, path } = open();
    s.append(decision());
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('chains events: consecutive seq, prevHash links, signatures verify', () => {
    const { s, path } = open();
    const a = s.append({ type: 'system.started', version: '0.1.0' });
    const b = s.append(decision());
    const c = s.append({ type: 'device.lost', at: Date.now(), device: 'camera', required: true });
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(a.prevHash).toBe('0'.repeat(64));
    expect(b.prevHash).toBe(a.hash);
    expect(c.prevHash).toBe(b.hash);
    expect(s.verify()).toMatchObject({ ok: true, count: 3, firstSeq: 1, lastSeq: 3 });
    expect(s.events(2).map((e) => e.seq)).toEqual([2, 3]);
    s.close();
    const v = verifyStoreFile(path);
    expect(v.ok).toBe(true);
    expect(v.terminalId).toBe(a.terminalId);
  });

  it('continues the chain after reopening', () => {
    const { s, dir } = open();
    const a = s.append(decision());
    s.close();
    const { s: s2 } = open({}, dir);
    dirs.pop();
    const b = s2.append(decision());
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(s2.verify().ok).toBe(true);
  });

  it('forbids UPDATE and DELETE of events outside the purge path (triggers)', () => {
    const { s, path } = open();
    s.append(decision());
    s.append(decision());
    const db = new Database(path);
    expect(() => db.prepare("UPDATE events SET body = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/retention purge/);
    // even with the gate opened by hand, an unacknowledged event cannot go
    db.prepare('UPDATE purge_gate SET open = 1').run();
    expect(() => db.prepare('DELETE FROM events WHERE seq = 2').run()).toThrow(/retention purge/);
    // nor can a seq be skipped
    expect(() =>
      db
        .prepare(
          "INSERT INTO events (seq, time, type, prev_hash, hash, sig, body) VALUES (9, 0, 'x', 'p', 'h', 's', '{}')",
        )
        .run(),
    ).toThrow(/continue the chain/);
    db.close();
    expect(s.verify().ok).toBe(true);
  });

  it('detects tampering by someone who drops the triggers', () => {
    const { s, path } = open();
    for (let i = 0; i < 5; i++) s.append(decision());
    s.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
    db.prepare(`UPDATE events SET body = replace(body, '"pass"', '"deny"') WHERE seq = 3`).run();
    db.prepare('DELETE FROM events WHERE seq = 5').run();
    db.close();
    const v = verifyStoreFile(path);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.seq, p.fault])).toContainEqual([3, 'bad-hash']);
    // re-signing is impossible without the key; rewriting the hash breaks the next link
    const db2 = new Database(path);
    db2.exec('DROP TRIGGER IF EXISTS events_no_update');
    db2.prepare(`UPDATE events SET hash = 'f${'0'.repeat(63)}' WHERE seq = 3`).run();
    db2.close();
    const v2 = verifyStoreFile(path);
    expect(v2.problems.map((p) => p.fault)).toEqual(expect.arrayContaining(['bad-hash', 'broken-link']));
  });

  it('keeps no full document number, MRZ or photo: pseudonym, masks and a sealed box only', () => {
    const backend = generateX25519();
    const { s, dir } = open({
      backendPublicKey: backend.publicKey,
      sealFields: ['documentNumber', 'name', 'birthDate'],
    });
    const withPhoto = {
      ...DOC,
      portrait: { format: 'jpeg' as const, bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x42, 0x42]) },
    };
    const e = s.append({ ...decision(), document: withPhoto });
    s.append({ ...review(), document: withPhoto });
    s.append({ type: 'checkin.started', at: Date.now(), seq: 99, document: withPhoto });
    expect(e.body.pseudonym).toBe(s.pseudonym('110105 19491231 002x'));
    expect(e.body.masked).toEqual({ name: '张*', number: '1101**********002X' });
    expect(e.body.face).toEqual({ outcome: 'match', score: '0.710000', threshold: '0.400000', fmr: '5e-4' });
    expect(e.body.sealed?.fields).toEqual(['birthDate', 'documentNumber', 'name']);
    s.close();
    stores.pop();
    // not in any file of the store (db, WAL, shm), in any encoding we would write it in
    const files = readdirSync(dir).filter((f) => f.startsWith('audit.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from('11010519491231002X')), f).toBe(false);
      expect(bytes.includes(Buffer.from('张三')), f).toBe(false);
      expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff, 0x42])), f).toBe(false);
    }
    // the backend (and only it) opens the box; the context binds it to its event
    const box = e.sealed;
    expect(box).toBeDefined();
    const fields = JSON.parse(unseal(backend.privateKey, box!, sealContext(e)).toString()) as Record<
      string,
      string
    >;
    expect(fields).toEqual({ birthDate: '1949-12-31', documentNumber: '11010519491231002X', name: '张三' });
  });

  it('refuses a record that would store the full number in free text', () => {
    const { s } = open();
    const bad = {
      ...decision(),
      decision: {
        outcome: 'deny' as const,
        reason: 'banned' as const,
        note: 'ID 11010519491231002X on list',
      },
    };
    expect(errCode(() => s.append(bad))).toBe('E_AUDIT_PII_REFUSED');
    expect(s.head().seq).toBe(0);
  });

  it('refuses to keep personal data without a sealing key, and records nothing', () => {
    const { s } = open({ sealFields: ['documentNumber'] });
    expect(errCode(() => s.append(decision()))).toBe('E_AUDIT_SEAL_KEY_MISSING');
    expect(s.head().seq).toBe(0);
    // a denial keeps nothing, so it is recorded
    expect(s.append(decision('deny')).seq).toBe(1);
  });

  it('rejects unknown input types', () => {
    const { s } = open();
    expect(errCode(() => s.append({ type: 'nope' } as never))).toBe('E_AUDIT_INPUT_INVALID');
  });

  it('makes the terminal key once, mode 0600, and refuses a store of another key', () => {
    const { s, dir } = open();
    const key = join(dir, 'keys', TERMINAL_KEY_FILE);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const again = loadOrCreateTerminalIdentity(join(dir, 'keys'));
    expect(again.publicKey).toBe(s.publicKey);
    expect(again.terminalId).toBe(s.terminalId);
    s.close();
    stores.pop();
    const other = tempDir();
    dirs.push(other);
    expect(
      errCode(() =>
        openAuditStore({
          path: join(dir, 'audit.sqlite'),
          keyDir: join(other, 'k'),
          venueSecret: 'venue-secret-for-tests-0001',
        }),
      ),
    ).toBe('E_AUDIT_KEY_MISMATCH');
  });

  it('makes a venue secret once and reads it back', () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = loadOrCreateVenueSecret(join(dir, 'venue-secret'));
    const b = loadOrCreateVenueSecret(join(dir, 'venue-secret'));
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    expect(statSync(join(dir, 'venue-secret')).mode & 0o777).toBe(0o600);
  });

  it('orders by seq when the wall clock jumps backwards and forwards', () => {
    let t = 1_800_000_000_000;
    const { s } = open({ now: () => t });
    const times: number[] = [];
    for (const jump of [0, -3_600_000, +86_400_000, -86_400_000 * 2, 5]) {
      t += jump;
      times.push(s.append({ type: 'device.ready', device: 'camera', at: t }).time);
    }
    const evs = s.events();
    expect(evs.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(evs.map((e) => e.time)).toEqual(times);
    expect(times[1]! < times[0]!).toBe(true);
    expect(s.verify().ok).toBe(true);
  });

  it('purges only acknowledged events older than the keep time, keeping the chain verifiable', () => {
    let t = 1_800_000_000_000;
    const { s } = open({ now: () => t, keepMs: 1000 });
    for (let i = 0; i < 10; i++) s.append({ type: 'device.ready', device: 'camera' });
    t += 5000;
    expect(s.purge().count).toBe(0); // nothing acknowledged yet
    s.setAcked({ seq: 6, hash: s.events(6, 1)[0]!.hash });
    const r = s.purge();
    expect(r).toEqual({ count: 6, throughSeq: 6 });
    const kept = s.events();
    expect(kept[0]!.seq).toBe(7);
    expect(kept.at(-1)!.type).toBe('audit.purged');
    expect(s.verify()).toMatchObject({ ok: true, firstSeq: 7 });
    // an ack with a foreign hash is a fork
    expect(errCode(() => s.setAcked({ seq: 8, hash: 'a'.repeat(64) }))).toBe('E_SYNC_ACK_MISMATCH');
  });

  it('after everything is purged, the next event links to the purge anchor', () => {
    let t = 1_800_000_000_000;
    const { s } = open({ now: () => t, keepMs: 0 });
    const a = s.append({ type: 'device.ready', device: 'camera' });
    s.setAcked({ seq: 1, hash: a.hash });
    t += 10;
    s.purge(); // deletes 1, appends audit.purged as seq 2
    const ev = s.events();
    expect(ev.map((e) => e.seq)).toEqual([2]);
    expect(ev[0]!.prevHash).toBe(a.hash);
    expect(s.verify().ok).toBe(true);
    // purging only a purge record does not write another one (no endless purge log with keepDays 0)
    s.setAcked({ seq: 2, hash: ev[0]!.hash });
    t += 10;
    expect(s.purge()).toEqual({ count: 1, throughSeq: 2 });
    expect(s.events()).toEqual([]);
    expect(s.head()).toEqual({ seq: 2, hash: ev[0]!.hash });
    expect(s.append({ type: 'device.ready', device: 'camera' }).prevHash).toBe(ev[0]!.hash);
    expect(s.verify()).toMatchObject({ ok: true, firstSeq: 3 });
  });

  it('disk full (SQLite max_page_count): a clear fault, no corruption, recovery when space returns', () => {
    const { s, path } = open();
    s.append(decision());
    const pages =
      (new Database(path, { readonly: true }).pragma('page_count', { simple: true }) as number) + 1;
    s.setMaxPageCount(pages);
    let failures = 0;
    let lastOk = s.head().seq;
    for (let i = 0; i < 200; i++) {
      try {
        lastOk = s.append(decision()).seq;
      } catch (e) {
        expect(isKioskError(e) && e.code).toBe('E_AUDIT_DISK_FULL');
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
    expect(s.fault()?.fault).toBe('disk-full');
    expect(s.head().seq).toBe(lastOk);
    expect(s.integrity()).toBe('ok');
    expect(s.verify()).toMatchObject({ ok: true, lastSeq: lastOk });
    s.setMaxPageCount(1_000_000);
    const next = s.append(decision());
    expect(next.seq).toBe(lastOk + 1);
    expect(s.fault()).toBeNull();
    expect(s.verify().ok).toBe(true);
  });
});

describe('eid-kiosk audit', () => {
  it('verify prints OK and exits 0 on a sound store, FAIL and 1 on a tampered one', async () => {
    const { s, path } = open();
    for (let i = 0; i < 4; i++) s.append(decision());
    const pub = s.publicKey;
    s.close();
    stores.pop();
    let io = memoryIo();
    expect(await auditCli(['verify', path], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^OK: 4 events, seq 1\.\.4/);
    io = memoryIo();
    expect(await auditCli(['verify', path, '--public-key', pub, '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ ok: true, count: 4 });
    const db = new Database(path);
    db.exec('DROP TRIGGER events_no_delete; UPDATE purge_gate SET open = 1');
    db.prepare('DELETE FROM events WHERE seq = 2').run();
    db.close();
    io = memoryIo();
    expect(await auditCli(['verify', path], io)).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/FAIL/);
    expect(io.stdout.join('\n')).toMatch(/seq 3: seq-gap/);
    // pinned to another key: every signature fails
    const other = loadOrCreateTerminalIdentity(join(tempDir(), 'k'));
    io = memoryIo();
    expect(await auditCli(['verify', path, '--public-key', other.publicKey], io)).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/bad-signature/);
  });

  it('status and show read the store; bad usage exits 2', async () => {
    const { s, path } = open();
    s.append(decision());
    s.append(decision());
    let io = memoryIo();
    expect(await auditCli(['status', path], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ events: 2, lastSeq: 2, ackedSeq: 0, backlog: 2 });
    io = memoryIo();
    expect(await auditCli(['show', path, '--from', '2'], io)).toBe(0);
    expect(io.stdout.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([2]);
    io = memoryIo();
    expect(await auditCli(['verify'], io)).toBe(2);
    expect(await auditCli(['frobnicate', path], io)).toBe(2);
    io = memoryIo();
    expect(await auditCli(['verify', join(tempDir(), 'missing.sqlite')], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/E_AUDIT_STORE_CORRUPT/);
  });
});
