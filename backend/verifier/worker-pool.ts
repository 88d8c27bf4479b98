// A small pool of verify-worker threads. Jobs go to the worker with the fewest in flight. A worker that dies is
// replaced; its jobs are answered by the fallback (in-process verification), so no presentation is lost.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PresentationResult } from './presentation.ts';
import type { VerifyJob, WorkerInit } from './verify-worker.ts';

interface Slot {
  worker: Worker;
  inflight: Map<number, { job: VerifyJob; resolve: (r: PresentationResult) => void }>;
}

export interface VerifyPool {
  verify(job: VerifyJob): Promise<PresentationResult>;
  /** Jobs answered by a worker, and jobs that fell back to the request thread. */
  stats(): { byWorker: number; fallback: number };
  close(): Promise<void>;
}

export function verifyPool(
  threads: number,
  init: WorkerInit,
  inProcess: (job: VerifyJob) => Promise<PresentationResult>,
): VerifyPool {
  let seq = 0;
  let closing = false;
  let byWorker = 0;
  let fallbacks = 0;
  const fallback = (job: VerifyJob) => {
    fallbacks++;
    return inProcess(job);
  };
  // The worker is TypeScript. On Node 20 `--import tsx` in a worker's execArgv does not apply its loader to the
  // worker's entry, so a tiny ESM bootstrap registers tsx (a runtime dependency) and then imports the worker.
  const target = new URL('./verify-worker.ts', import.meta.url).href;
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const boot = new URL(
    'data:text/javascript,' +
      encodeURIComponent(
        `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(target)});`,
      ),
  );
  const spawn = (): Slot => {
    const worker = new Worker(boot, { workerData: init });
    const slot: Slot = { worker, inflight: new Map() };
    worker.on('message', (msg: { id: number; result?: PresentationResult; error?: string }) => {
      const entry = slot.inflight.get(msg.id);
      if (!entry) return;
      slot.inflight.delete(msg.id);
      if (msg.result) {
        byWorker++;
        entry.resolve(msg.result);
      } else void fallback(entry.job).then(entry.resolve);
    });
    const onDeath = () => {
      const idx = slots.indexOf(slot);
      for (const entry of slot.inflight.values()) void fallback(entry.job).then(entry.resolve);
      slot.inflight.clear();
      if (idx >= 0 && !closing) slots[idx] = spawn();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => {
      if (code !== 0 || !closing) onDeath();
    });
    worker.unref();
    return slot;
  };
  const slots: Slot[] = Array.from({ length: threads }, spawn);
  return {
    verify(job) {
      const slot = slots.reduce((a, b) => (b.inflight.size < a.inflight.size ? b : a));
      const id = ++seq;
      return new Promise((resolve) => {
        slot.inflight.set(id, { job, resolve });
        slot.worker.postMessage({ id, job });
      });
    },
    stats: () => ({ byWorker, fallback: fallbacks }),
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
