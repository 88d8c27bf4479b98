// Signed requests from a terminal to the backend. Shared by the kiosk (signs) and the backend (verifies).
// Signature: Ed25519 over "eid-kiosk request v1\n" METHOD "\n" PATH?QUERY "\n" TIME "\n" SHA-256(body) hex.
import type { KeyObject } from 'node:crypto';
import { b64u, ed25519Verify, fromB64u, sha256Hex } from '../audit/crypto.ts';
import type { TerminalIdentity } from '../audit/identity.ts';

export const HDR_TERMINAL = 'x-eid-terminal';
export const HDR_TIME = 'x-eid-time';
export const HDR_SIGNATURE = 'x-eid-signature';

export function requestSigningInput(method: string, path: string, time: number, body: Uint8Array): Buffer {
  return Buffer.from(
    `eid-kiosk request v1\n${method.toUpperCase()}\n${path}\n${time}\n${sha256Hex(body)}`,
    'utf8',
  );
}

export function signRequest(
  identity: TerminalIdentity,
  method: string,
  path: string,
  body: Uint8Array,
  time: number,
): Record<string, string> {
  const t = Math.trunc(time);
  return {
    [HDR_TERMINAL]: identity.terminalId,
    [HDR_TIME]: String(t),
    [HDR_SIGNATURE]: b64u(identity.sign(requestSigningInput(method, path, t, body))),
  };
}

export function verifyRequestSignature(
  publicKey: KeyObject,
  method: string,
  path: string,
  body: Uint8Array,
  time: number,
  signature: string,
): boolean {
  return ed25519Verify(publicKey, requestSigningInput(method, path, time, body), fromB64u(signature));
}

/** The channel challenge a terminal signs to authenticate its WebSocket. */
export function channelSigningInput(nonce: string, terminalId: string): Buffer {
  return Buffer.from(`eid-kiosk channel v1\n${terminalId}\n${nonce}`, 'utf8');
}

/** The proof of key possession in an enrolment request. */
export function enrolSigningInput(code: string, publicKey: string): Buffer {
  return Buffer.from(`eid-kiosk enrol v1\n${code}\n${publicKey}`, 'utf8');
}
