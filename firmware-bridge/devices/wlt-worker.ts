// Child process that hosts a reader vendor's WLT photo library through koffi. It is a separate process so a
// crash (SIGSEGV) or hang in vendor code cannot take the kiosk down; the parent (photo-decoder.ts) restarts it.
// Protocol over the IPC channel (advanced serialisation, Buffers travel as-is):
//   → { op: 'init', library, prototype }            ← { op: 'init', ok, error? }
//   → { op: 'decode', id, wlt: Buffer, outputBytes, extraArgs }  ← { op: 'decode', id, ret, out: Buffer }
import koffi from 'koffi';

type Fn = (...args: unknown[]) => number;
let fn: Fn | undefined;

interface InitMsg {
  op: 'init';
  library: string;
  prototype: string;
}
interface DecodeMsg {
  op: 'decode';
  id: number;
  wlt: Uint8Array;
  outputBytes: number;
  extraArgs: number[];
}

process.on('message', (m: InitMsg | DecodeMsg) => {
  if (m.op === 'init') {
    try {
      const lib = koffi.load(m.library);
      fn = lib.func(m.prototype) as Fn;
      process.send!({ op: 'init', ok: true });
    } catch (e) {
      process.send!({ op: 'init', ok: false, error: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  if (!fn) {
    process.send!({ op: 'decode', id: m.id, ret: Number.NaN, error: 'library not loaded' });
    return;
  }
  const wlt = Buffer.alloc(Math.max(1024, m.wlt.length));
  wlt.set(m.wlt);
  const out = Buffer.alloc(m.outputBytes);
  const ret = fn(wlt, out, ...m.extraArgs);
  process.send!({ op: 'decode', id: m.id, ret, out });
});
process.on('disconnect', () => process.exit(0));
