// The full disk for real: a small ext4 image loop-mounted (needs root, so this is a script, not a test;
// the test suite simulates the full disk with SQLite's max_page_count). Fills the filesystem with check-in
// events until appends fail, checks the fault, frees space, checks recovery and the chain.
// Usage (root): npx tsx tests/bench/audit/disk-full-loop.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditStore } from '../../../kiosk/audit/store.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';
import { diskStatus } from '../../../kiosk/sync/disk.ts';
import { decision } from '../../integration/backend/harness.ts';
import { machine } from './common.ts';

const work = mkdtempSync(join(tmpdir(), 'eid-diskfull-'));
const img = join(work, 'fs.img');
const mnt = join(work, 'mnt');
execFileSync('truncate', ['-s', '4M', img]);
execFileSync('mkfs.ext4', ['-q', '-F', img]);
execFileSync('mkdir', ['-p', mnt]);
execFileSync('mount', ['-o', 'loop', img, mnt]);
console.log(`# audit store on a full filesystem — ${new Date().toISOString()}\nmachine: ${machine()}`);
try {
  const keys = join(work, 'keys'); // the key lives elsewhere; only the store is on the small filesystem
  let store = openAuditStore({
    path: join(mnt, 'audit.sqlite'),
    keyDir: keys,
    venueSecret: 'bench-venue-secret-000001',
  });
  // leave a ballast file we can delete later to "free space"
  writeFileSync(join(mnt, 'ballast'), Buffer.alloc(512 * 1024));
  let ok = 0;
  let failure: unknown = null;
  const codes = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) {
    try {
      store.append(decision());
      ok++;
    } catch (e) {
      failure ??= e;
      const c = isKioskError(e) ? e.code : `other:${(e as Error).message}`;
      codes.set(c, (codes.get(c) ?? 0) + 1);
      if ((codes.get(c) ?? 0) >= 5) break;
    }
  }
  console.log(`appended ${ok} events, then: ${[...codes].map(([c, n]) => `${c}×${n}`).join(', ')}`);
  console.log(`disk: ${JSON.stringify(diskStatus(mnt))}`);
  console.log(`store.fault(): ${JSON.stringify(store.fault())}`);
  console.log(
    `integrity_check: ${store.integrity()}; verify: ${JSON.stringify({ ...store.verify(), problems: undefined })}`,
  );
  unlinkSync(join(mnt, 'ballast'));
  const next = store.append(decision());
  console.log(`after freeing 512 KiB: append seq ${next.seq} ok, fault ${JSON.stringify(store.fault())}`);
  store.close();
  store = openAuditStore({
    path: join(mnt, 'audit.sqlite'),
    keyDir: keys,
    venueSecret: 'bench-venue-secret-000001',
  });
  const v = store.verify();
  console.log(`reopened: ${v.count} events, ok=${v.ok}, integrity ${store.integrity()}`);
  store.close();
} finally {
  execFileSync('umount', [mnt]);
  rmSync(work, { recursive: true, force: true });
}
