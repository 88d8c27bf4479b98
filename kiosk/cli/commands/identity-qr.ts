// `eid-kiosk identity-qr keygen|issue|verify`: the issuer tool for the signed identity code (docs/identity-qr.md).
//   keygen [--alg ES256|EdDSA] --kid KID --iss ISS --out KEYFILE   writes the private key file; prints the
//                                                                    trust-list entry (public) on stdout
//   issue --key KEYFILE --claims FILE [--png OUT] [--iat S] [--lifetime S]
//   verify TEXT|- --trust FILE [--now MS] [--skew S] [--replay-db PATH]
import { generateKeyPairSync, createPrivateKey, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { issueIdentityQr } from '../../credentials/identity-qr/issue.ts';
import { subjectIdFor } from '../../credentials/identity-qr/profile.ts';
import type { IdentityQrClaims } from '../../credentials/identity-qr/profile.ts';
import {
  memoryReplayCache,
  prepareTrustList,
  verifyIdentityQr,
} from '../../credentials/identity-qr/verify.ts';
import type { IdentityQrTrustInput, ReplayCache } from '../../credentials/identity-qr/verify.ts';
import { maskDocumentNumber, maskName } from '../../core/mask.ts';
import { openReplayCache } from '../../wallet/replay-cache.ts';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage: eid-kiosk identity-qr keygen --kid KID --iss ISS --out KEYFILE [--alg ES256|EdDSA]',
  '       eid-kiosk identity-qr issue --key KEYFILE --claims FILE [--png OUT] [--iat SECONDS] [--lifetime SECONDS]',
  '       eid-kiosk identity-qr verify TEXT|- --trust FILE [--now MS] [--skew SECONDS] [--replay-db PATH]',
];

/** The private key file keygen writes. `subjectSecret` derives `sub` from a document number (profile.ts). */
interface KeyFile {
  iss: string;
  name?: string;
  jwk: Record<string, unknown> & { kid: string };
  subjectSecret: string;
}

function usage(io: CliIo, why: string): number {
  io.err(`E_CLI_USAGE: ${why}`);
  for (const l of USAGE) io.err(l);
  return 2;
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'keygen') return await keygen(rest, io);
    if (sub === 'issue') return await issue(rest, io);
    if (sub === 'verify') return await verify(rest, io);
  } catch (e) {
    if (
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (e as Error).name === 'TypeError'
    )
      return usage(io, (e as Error).message);
    io.err(`E_IDQR_KEY_INVALID: ${(e as Error).message}`);
    return 1;
  }
  return usage(io, sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`);
}

async function keygen(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      alg: { type: 'string', default: 'ES256' },
      kid: { type: 'string' },
      iss: { type: 'string' },
      name: { type: 'string', default: '' },
      out: { type: 'string' },
    },
  });
  if (!values.kid || !values.iss || !values.out) return usage(io, 'keygen needs --kid, --iss and --out');
  if (values.alg !== 'ES256' && values.alg !== 'EdDSA') return usage(io, 'alg must be ES256 or EdDSA');
  const { privateKey, publicKey } =
    values.alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('ed25519');
  const file: KeyFile = {
    iss: values.iss,
    name: values.name,
    jwk: {
      ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: values.kid,
      alg: values.alg,
    },
    subjectSecret: randomBytes(32).toString('base64url'),
  };
  await writeFile(values.out, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  const trust: IdentityQrTrustInput = {
    iss: values.iss,
    name: values.name,
    jwk: {
      ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: values.kid,
      alg: values.alg,
    },
  };
  io.out(JSON.stringify(trust));
  return 0;
}

/**
 * Claims file: { "name", "nameLatin"?, "birthDate"?, "nationality"?, "sex"?, "documentKind"?, "ageOver18"?,
 * and either "documentNumber" (then sub and the masked number are derived, and the number itself is dropped)
 * or "sub" + "maskedDocumentNumber"; "portraitSha256"? (hex) }.
 */
async function issue(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      key: { type: 'string' },
      claims: { type: 'string' },
      png: { type: 'string' },
      iat: { type: 'string' },
      lifetime: { type: 'string', default: '60' },
    },
  });
  if (!values.key || !values.claims) return usage(io, 'issue needs --key and --claims');
  const key = (await readJson(values.key)) as KeyFile;
  const c = (await readJson(values.claims)) as Record<string, unknown>;
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  let sub = str('sub');
  let masked = str('maskedDocumentNumber');
  const docNo = str('documentNumber');
  if (docNo !== undefined) {
    sub = subjectIdFor(docNo, Buffer.from(key.subjectSecret, 'base64url'));
    masked = maskDocumentNumber(docNo);
  }
  const name = str('name');
  if (!sub || !masked || !name)
    return usage(io, 'claims need name and documentNumber (or sub + maskedDocumentNumber)');
  const claims: IdentityQrClaims = {
    name,
    maskedDocumentNumber: masked,
    ...(str('nameLatin') !== undefined ? { nameLatin: str('nameLatin')! } : {}),
    ...(str('birthDate') !== undefined ? { birthDate: str('birthDate')! } : {}),
    ...(str('nationality') !== undefined ? { nationality: str('nationality')! } : {}),
    ...(str('sex') !== undefined ? { sex: str('sex') as 'M' | 'F' | 'X' } : {}),
    ...(str('documentKind') !== undefined ? { documentKind: str('documentKind')! } : {}),
    ...(typeof c.ageOver18 === 'boolean' ? { ageOver18: c.ageOver18 } : {}),
    ...(str('portraitSha256') !== undefined
      ? { portraitDigest: new Uint8Array(Buffer.from(str('portraitSha256')!, 'hex')) }
      : {}),
  };
  const iat = values.iat !== undefined ? Number(values.iat) : Math.floor(Date.now() / 1000);
  const privateKey = createPrivateKey({ key: key.jwk as never, format: 'jwk' });
  const text = issueIdentityQr(
    { iss: key.iss, sub, claims, iat, lifetimeSeconds: Number(values.lifetime) },
    privateKey,
    key.jwk.kid,
  );
  io.out(text);
  if (values.png) await QRCode.toFile(values.png, text, { errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  return 0;
}

async function verify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      trust: { type: 'string' },
      now: { type: 'string' },
      skew: { type: 'string' },
      'replay-db': { type: 'string' },
    },
  });
  const arg = positionals[0];
  if (!arg || !values.trust) return usage(io, 'verify needs TEXT (or -) and --trust');
  const text = arg === '-' ? await readStdin() : arg;
  const raw = await readJson(values.trust);
  const entries = (
    Array.isArray(raw) ? raw : ((raw as { trustedIssuers?: unknown }).trustedIssuers ?? [raw])
  ) as IdentityQrTrustInput[];
  const trustList = prepareTrustList(entries);
  const now = values.now !== undefined ? Number(values.now) : Date.now();
  const db = values['replay-db'] ? openReplayCache(values['replay-db']) : undefined;
  const replayCache: ReplayCache = db ?? memoryReplayCache(() => now);
  try {
    const r = verifyIdentityQr(text, {
      trustList,
      now,
      replayCache,
      ...(values.skew !== undefined ? { clockSkewSeconds: Number(values.skew) } : {}),
    });
    if (!r.ok) {
      io.out(JSON.stringify(r));
      return 1;
    }
    const d = r.document;
    io.out(
      JSON.stringify({
        ok: true,
        issuer: d.issuer,
        trustAnchor: d.trustAnchor,
        maskedName: maskName(d.name),
        birthDate: d.birthDate,
        nationality: d.nationality,
        claims: d.claims,
        checks: d.checks,
      }),
    );
    return 0;
  } finally {
    db?.close();
  }
}
