// The gate relay is switched off when the kiosk process dies in the middle of a pulse: an uncaught exception
// (process 'exit' hook: synchronous OFF frame) and SIGTERM (off, then exit). Real LCUS bytes over a socat pty.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig } from '../../../firmware-bridge/simulators/rig.ts';
import type { Rig } from '../../../firmware-bridge/simulators/rig.ts';

const CHILD = fileURLToPath(new URL('../../fixtures/firmware/relay-crash.ts', import.meta.url));
let dir: string;
let rig: Rig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eid-relay-'));
  rig = await startRig(dir, ['relay']);
}, 30_000);
afterAll(async () => {
  await rig?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function dieMidPulse(
  how: 'throw' | 'sigterm',
): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, rig.paths.relay, how === 'throw' ? 'throw' : 'wait'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr.resume();
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('pulsing')) resolve();
    });
    child.once('exit', () => reject(new Error('child exited before pulsing')));
  });
  expect((await rig.control.relayState()).channels['1']).toBe(true); // the gate is open right now
  if (how === 'sigterm') child.kill('SIGTERM');
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('relay off when the process dies mid-pulse', () => {
  it('uncaught exception: the exit hook writes OFF synchronously', async () => {
    const r = await dieMidPulse('throw');
    expect(r.code).not.toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    const s = await rig.control.relayState();
    expect(s.channels['1']).toBe(false);
    expect(s.log.at(-1)).toMatchObject({ channel: 1, on: false });
  }, 30_000);

  it('SIGTERM: off, then exit 143', async () => {
    const r = await dieMidPulse('sigterm');
    expect(r.code).toBe(143);
    await new Promise((res) => setTimeout(res, 100));
    expect((await rig.control.relayState()).channels['1']).toBe(false);
  }, 30_000);
});
