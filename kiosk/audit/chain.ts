// Hashing, signing and verifying the chain. Shared by the kiosk store, the CLI and the backend's ingest.
import type { KeyObject } from 'node:crypto';
import { canonicalBytes, canonicalJson } from './canonical.ts';
import { ed25519Verify, fromB64u, b64u, sha256, sha256Hex } from './crypto.ts';
import type { SealedBox } from './crypto.ts';
import { EVENT_VERSION, GENESIS_HASH } from './event.ts';
import type { EventCore, StoredEvent } from './event.ts';

export const SIGNING_PREFIX = Buffer.from('eid-kiosk audit v1\n', 'utf8');

export function coreOf(e: EventCore): EventCore {
  return {
    v: e.v,
    terminalId: e.terminalId,
    seq: e.seq,
    time: e.time,
    type: e.type,
    prevHash: e.prevHash,
    body: e.body,
  };
}

export function eventHash(e: EventCore): string {
  return sha256Hex(canonicalBytes(coreOf(e)));
}

export function signingInput(hashHex: string): Buffer {
  return Buffer.concat([SIGNING_PREFIX, Buffer.from(hashHex, 'hex')]);
}

export function signEvent(
  core: EventCore,
  sign: (d: Uint8Array) => Uint8Array,
  sealed?: SealedBox,
): StoredEvent {
  const hash = eventHash(core);
  const sig = b64u(sign(signingInput(hash)));
  return sealed ? { ...coreOf(core), hash, sig, sealed } : { ...coreOf(core), hash, sig };
}

export function sealedDigest(box: SealedBox): string {
  return sha256Hex(canonicalJson(box));
}

export type ChainFault =
  | 'bad-version'
  | 'wrong-terminal'
  | 'bad-hash'
  | 'bad-signature'
  | 'seq-gap'
  | 'broken-link'
  | 'sealed-mismatch'
  | 'not-canonical';

export interface ChainProblem {
  readonly seq: number;
  readonly fault: ChainFault;
  readonly message: string;
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly count: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly headHash: string;
  readonly problems: readonly ChainProblem[];
}

/** Check one event on its own: version, terminal, hash, signature, sealed digest. */
export function checkEvent(e: StoredEvent, publicKey: KeyObject, terminalId: string): ChainProblem | null {
  const seq = typeof e.seq === 'number' ? e.seq : -1;
  if (e.v !== EVENT_VERSION) return { seq, fault: 'bad-version', message: `version ${String(e.v)}` };
  if (e.terminalId !== terminalId) {
    return { seq, fault: 'wrong-terminal', message: `event of ${String(e.terminalId)}` };
  }
  let h: string;
  try {
    h = eventHash(e);
  } catch (err) {
    return { seq, fault: 'not-canonical', message: (err as Error).message };
  }
  if (h !== e.hash) return { seq, fault: 'bad-hash', message: 'the hash does not match the content' };
  if (typeof e.sig !== 'string' || !ed25519Verify(publicKey, signingInput(h), fromB64u(e.sig))) {
    return { seq, fault: 'bad-signature', message: 'the signature does not verify' };
  }
  if (e.body.sealed !== undefined || e.sealed !== undefined) {
    // the box may have been purged (retention) — then only the digest remains, which is fine
    if (
      e.sealed !== undefined &&
      (e.body.sealed === undefined || sealedDigest(e.sealed) !== e.body.sealed.digest)
    ) {
      return { seq, fault: 'sealed-mismatch', message: 'the sealed payload does not match its digest' };
    }
  }
  return null;
}

/**
 * Verify a run of events in seq order: each event on its own, consecutive seq, and each prevHash equal to
 * the hash before it. `anchor` is the (seq, hash) just before the first event (default: genesis at seq 0).
 */
export function verifyChain(
  events: Iterable<StoredEvent>,
  opts: { publicKey: KeyObject; terminalId: string; anchor?: { seq: number; hash: string } },
): ChainVerdict {
  const problems: ChainProblem[] = [];
  let prevSeq = opts.anchor?.seq ?? 0;
  let prevHash = opts.anchor?.hash ?? GENESIS_HASH;
  let count = 0;
  let firstSeq: number | null = null;
  for (const e of events) {
    count++;
    firstSeq ??= e.seq;
    const p = checkEvent(e, opts.publicKey, opts.terminalId);
    if (p) problems.push(p);
    if (e.seq !== prevSeq + 1) {
      problems.push({ seq: e.seq, fault: 'seq-gap', message: `expected seq ${prevSeq + 1}, got ${e.seq}` });
    } else if (e.prevHash !== prevHash) {
      problems.push({
        seq: e.seq,
        fault: 'broken-link',
        message: 'prevHash is not the hash of the event before',
      });
    }
    prevSeq = e.seq;
    prevHash = e.hash;
    if (problems.length > 100) break;
  }
  return {
    ok: problems.length === 0,
    count,
    firstSeq,
    lastSeq: count > 0 ? prevSeq : null,
    headHash: prevHash,
    problems,
  };
}

export { sha256 };
