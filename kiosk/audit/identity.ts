// The terminal's identity: an Ed25519 key pair made on first start and kept in the kiosk data dir
// (`<keyDir>/terminal-ed25519.pem`, PKCS#8, mode 0600). The terminal id is derived from the public key, so a
// new key is a new terminal.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../shared/errors.ts';
import { ed25519Sign, rawPublic, sha256 } from './crypto.ts';

export const TERMINAL_KEY_FILE = 'terminal-ed25519.pem';

export interface TerminalIdentity {
  /** 't_' + the first 16 bytes of SHA-256(raw public key), hex. */
  readonly terminalId: string;
  /** Raw Ed25519 public key, base64url (43 characters). */
  readonly publicKey: string;
  sign(data: Uint8Array): Buffer;
}

export function terminalIdFor(publicKey: string): string {
  return 't_' + sha256(Buffer.from(publicKey, 'base64url')).subarray(0, 16).toString('hex');
}

export function identityFromKey(privateKey: KeyObject): TerminalIdentity {
  if (privateKey.asymmetricKeyType !== 'ed25519' || privateKey.type !== 'private') {
    throw new KioskError('E_AUDIT_KEY_INVALID', 'the terminal key must be an Ed25519 private key');
  }
  const publicKey = rawPublic(privateKey);
  return Object.freeze({
    terminalId: terminalIdFor(publicKey),
    publicKey,
    sign: (data: Uint8Array) => ed25519Sign(privateKey, data),
  });
}

function readKey(path: string): TerminalIdentity {
  const st = statSync(path);
  if ((st.mode & 0o077) !== 0) {
    throw new KioskError(
      'E_AUDIT_KEY_INVALID',
      `${path} is readable by group/others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
    );
  }
  try {
    return identityFromKey(createPrivateKey(readFileSync(path, 'utf8')));
  } catch (cause) {
    if (cause instanceof KioskError) throw cause;
    throw new KioskError('E_AUDIT_KEY_INVALID', `${path} is not an Ed25519 private key`, { cause });
  }
}

/**
 * Load the terminal key from keyDir, or make one. Creation is atomic and race-safe: the key is written to a
 * temporary file (0600), fsynced, then hard-linked into place (which fails if another process won).
 */
export function loadOrCreateTerminalIdentity(keyDir: string): TerminalIdentity {
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const path = join(keyDir, TERMINAL_KEY_FILE);
  try {
    return readKey(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  try {
    const dfd = openSync(keyDir, 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // directory fsync is best effort (not supported everywhere)
  }
  return readKey(path);
}

/**
 * The per-venue pseudonym secret: read from `file`, or (when the file does not exist) 32 random bytes
 * written there with mode 0600. Every kiosk of a venue must share it to count the same person once: copy
 * the file, or give each kiosk the same one through provisioning.
 */
export function loadOrCreateVenueSecret(file: string): Buffer {
  try {
    const b = readFileSync(file);
    if (b.length < 16)
      throw new KioskError('E_AUDIT_KEY_INVALID', `${file}: the venue secret must be ≥ 16 bytes`);
    return b;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32);
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readFileSync(file);
  }
  return secret;
}
