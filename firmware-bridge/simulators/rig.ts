// The simulator rig: for each device a socat pty pair (`<dir>/<device>` for the kiosk, `<dir>/<device>.dev`
// for the simulator) and a simulator process speaking the real protocol on it. Demo mode and the integration
// tests use it. `unplug(device)` closes the simulator's end and kills socat (the kiosk's port gets EIO and the
// link disappears, as with a USB unplug); `replug(device)` recreates the same path.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardKind } from './cards.ts';

export type RigDevice = 'reader' | 'mrz' | 'scanner' | 'relay';
const DEVICES: readonly RigDevice[] = ['reader', 'mrz', 'scanner', 'relay'];

export interface ReaderFaults {
  junk?: number;
  slowByteMs?: number;
  splitEvery?: number;
  badChecksumNext?: boolean;
  removeMidRead?: boolean;
}

export interface RelayState {
  channels: Record<string, boolean>;
  log: { t: number; channel: number; on: boolean }[];
}

export interface Rig {
  readonly paths: Readonly<Record<RigDevice, string>>;
  readonly control: {
    presentCard(card: CardKind | number): Promise<void>;
    liftCard(): Promise<void>;
    readerFaults(f: ReaderFaults): Promise<void>;
    /** Raw junk bytes on the reader line (or another device's). */
    junk(bytes: readonly number[], device?: RigDevice): Promise<void>;
    presentMrz(lines: readonly string[], framing?: 'stx' | 'plain' | '3m'): Promise<void>;
    scan(text: string, aim?: string): Promise<void>;
    unplug(device: RigDevice): Promise<void>;
    replug(device: RigDevice): Promise<void>;
    relayState(): Promise<RelayState>;
    /** Preset a relay channel (e.g. "left on by a crash") to test force-off at start. */
    setRelay(channel: number, on: boolean): Promise<void>;
  };
  stop(): Promise<void>;
}

const SIM = fileURLToPath(new URL('./sim-process.ts', import.meta.url));

interface Slot {
  socat: ChildProcess | undefined;
  sim: ChildProcess;
  nextId: number;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startSocat(dir: string, d: RigDevice): Promise<ChildProcess> {
  const host = join(dir, d);
  const dev = join(dir, `${d}.dev`);
  const p = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${dev}`], {
    stdio: 'ignore',
  });
  return waitFor(() => existsSync(host) && existsSync(dev), 5000, `socat links for ${d}`).then(() => p);
}

function stopProcess(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

export async function startRig(dir: string, devices: readonly RigDevice[] = DEVICES): Promise<Rig> {
  mkdirSync(dir, { recursive: true });
  const slots = new Map<RigDevice, Slot>();

  const call = (d: RigDevice, op: string, args: Record<string, unknown> = {}): Promise<unknown> => {
    const s = slots.get(d);
    if (!s) return Promise.reject(new Error(`device ${d} is not in this rig`));
    const id = s.nextId++;
    return new Promise((resolve, reject) => {
      s.pending.set(id, { resolve, reject });
      s.sim.send({ id, op, ...args });
    });
  };

  await Promise.all(
    devices.map(async (d) => {
      const socat = await startSocat(dir, d);
      const sim = fork(SIM, [d, join(dir, `${d}.dev`)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const slot: Slot = { socat, sim, nextId: 1, pending: new Map() };
      slots.set(d, slot);
      await new Promise<void>((resolve, reject) => {
        sim.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
          if (m.id === 0) {
            if (m.ok) resolve();
            else reject(new Error(m.error));
            return;
          }
          const p = slot.pending.get(m.id);
          slot.pending.delete(m.id);
          if (m.ok) p?.resolve(m.value);
          else p?.reject(new Error(m.error));
        });
        sim.once('exit', (code) => reject(new Error(`simulator ${d} exited with ${code}`)));
      });
    }),
  );

  const paths = Object.fromEntries(DEVICES.map((d) => [d, join(dir, d)])) as Record<RigDevice, string>;
  return {
    paths,
    control: {
      presentCard: async (card) => void (await call('reader', 'presentCard', { card })),
      liftCard: async () => void (await call('reader', 'liftCard')),
      readerFaults: async (faults) => void (await call('reader', 'faults', { faults })),
      junk: async (bytes, device = 'reader') => void (await call(device, 'junk', { bytes: [...bytes] })),
      presentMrz: async (lines, framing = 'stx') =>
        void (await call('mrz', 'mrz', { lines: [...lines], framing })),
      scan: async (text, aim) =>
        void (await call('scanner', 'scan', aim === undefined ? { text } : { text, aim })),
      unplug: async (d) => {
        const s = slots.get(d);
        if (!s) throw new Error(`device ${d} is not in this rig`);
        await call(d, 'detach');
        await stopProcess(s.socat);
        s.socat = undefined;
        await waitFor(() => !existsSync(join(dir, d)), 3000, `${d} link removal`);
      },
      replug: async (d) => {
        const s = slots.get(d);
        if (!s) throw new Error(`device ${d} is not in this rig`);
        if (s.socat) return;
        s.socat = await startSocat(dir, d);
        await call(d, 'attach');
      },
      relayState: async () => (await call('relay', 'relayState')) as RelayState,
      setRelay: async (channel, on) => void (await call('relay', 'setRelay', { channel, on })),
    },
    stop: async () => {
      await Promise.all(
        [...slots.values()].map(async (s) => {
          s.sim.disconnect();
          await stopProcess(s.sim);
          await stopProcess(s.socat);
        }),
      );
    },
  };
}
