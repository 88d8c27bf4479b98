// Spawning the child processes of the crash tests and reading their lines.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitLine(re: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

export function spawnChild(script: 'backend.ts' | 'kiosk.ts', args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', here(`./${script}`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    async waitLine(re, timeoutMs = 20_000) {
      const t0 = Date.now();
      for (;;) {
        const hit = lines.find((l) => re.test(l));
        if (hit) return hit;
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(
            `${script} exited (${proc.exitCode ?? proc.signalCode}) before ${re}: ${stderr.slice(-2000)}`,
          );
        }
        if (Date.now() - t0 > timeoutMs)
          throw new Error(`${script}: no ${re} within ${timeoutMs} ms: ${stderr.slice(-2000)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
