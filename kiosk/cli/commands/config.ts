// `eid-kiosk config ...`: check a config file, show the effective config, list profiles, make a PIN hash.
import { getRandomValues, scrypt as scryptCb } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILES_DIR, listProfiles, loadConfig } from '../../../config/load.ts';
import type { ConfigSource } from '../../../config/load.ts';
import { configJsonSchema } from '../../../config/schema.ts';
import type { KioskConfig } from '../../../config/schema.ts';
import { makePinHash, parsePinHash } from '../../core/pin.ts';
import { settingsFromConfig } from '../../core/settings.ts';
import type { ScryptFn } from '../../core/pin.ts';
import { isKioskError } from '../../shared/errors.ts';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage: eid-kiosk config check [FILE] [--profile NAME] [--profiles-dir DIR] [--json]',
  '       eid-kiosk config show [FILE] [--profile NAME] [--profiles-dir DIR]',
  '       eid-kiosk config profiles [--profiles-dir DIR]',
  '       eid-kiosk config schema          (the config file format as JSON Schema, for editors)',
  '       eid-kiosk config pin-hash        (reads the PIN, 4–12 digits, from stdin; prints attendant.pinHash)',
];

/** node:crypto's scrypt as the ScryptFn kiosk/core/pin.ts takes. kiosk/main uses the same. */
export const nodeScrypt: ScryptFn = (password, salt, keylen, options) =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key)),
    ),
  );

function usage(io: CliIo, why: string): number {
  io.err(`E_CLI_USAGE: ${why}`);
  for (const l of USAGE) io.err(l);
  return 2;
}

const SECRET_KEY = /(secret|token|password|pinhash|privatekey)$/i;

/** The config for display: values of secret-looking keys (attendant.pinHash, any *Secret, *Token…) become '<set>'. */
export function redacted(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && value !== '' && value !== undefined) return '<set>';
  if (Array.isArray(value)) return value.map((v) => redacted(v));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, k)]));
  return value;
}

const s = (ms: number) => `${ms / 1000}s`;

export function summary(config: KioskConfig): string[] {
  const t = config.timeouts;
  const pin = config.attendant.pinHash === null ? undefined : parsePinHash(config.attendant.pinHash);
  return [
    `  venue: ${JSON.stringify(config.venueName)} · profile ${config.profile} · language ${config.ui.defaultLanguage}`,
    `  check-in: challenge ${settingsFromConfig(config).challengeLength} step(s) · required devices ${config.checkIn.requiredDevices.join(', ') || 'none'} · on action failure ${config.checkIn.onActionFailure}`,
    `  timeouts: credential ${s(t.credentialCheckMs)}, face ${s(t.faceMs)}, decide ${s(t.decideMs)}, act ${s(t.actMs)}, result ${s(t.resultMs)}, review ${s(t.reviewMs)}, attendant idle ${s(t.attendantIdleMs)}`,
    `  attendant: ${pin ? `PIN set (scrypt N=${pin.N} r=${pin.r} p=${pin.p})` : config.attendant.pinHash === null ? 'no PIN set: the console cannot be opened' : 'PIN hash present but weak or malformed: every PIN will be refused'} · ${config.attendant.maxAttempts} attempts · lockout ${s(config.attendant.lockoutMs)}`,
  ];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `config pin-hash` with the PIN given: the line to put in attendant.pinHash. */
export async function pinHashLine(pinText: string): Promise<string> {
  const pin = pinText.replace(/\r?\n$/, '');
  return makePinHash(pin, nodeScrypt, (n) => getRandomValues(new Uint8Array(n)));
}

export async function run(
  args: readonly string[],
  io: CliIo,
  stdin: () => Promise<string> = readStdin,
): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        'profiles-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  const profilesDir = values['profiles-dir'] ?? DEFAULT_PROFILES_DIR;

  switch (sub) {
    case 'check':
    case 'show': {
      if (positionals.length > 1) return usage(io, 'one config file at most');
      const file = positionals[0];
      if (file === undefined && values.profile === undefined && sub === 'check')
        return usage(io, 'config check needs a FILE or --profile NAME');
      const source: ConfigSource = {
        profilesDir,
        ...(file !== undefined ? { file } : {}),
        ...(values.profile !== undefined ? { profile: values.profile } : {}),
      };
      const label = file ?? `profile ${values.profile ?? '(none)'}`;
      let config: KioskConfig;
      try {
        config = loadConfig(source);
      } catch (e) {
        if (!isKioskError(e)) throw e;
        const errors = e.message.split('\n');
        if (values.json) io.out(JSON.stringify({ ok: false, code: e.code, errors }));
        else for (const l of errors) io.err(`${e.code}: ${l}`);
        return 1;
      }
      if (sub === 'show' || values.json) {
        io.out(
          JSON.stringify(
            sub === 'show' ? redacted(config) : { ok: true, file: file ?? null, config: redacted(config) },
            null,
            sub === 'show' ? 2 : undefined,
          ),
        );
        return 0;
      }
      io.out(
        `OK ${label}${values.profile !== undefined && file !== undefined ? ` (profile ${values.profile})` : ''}`,
      );
      for (const l of summary(config)) io.out(l);
      return 0;
    }
    case 'profiles': {
      const names = listProfiles(profilesDir);
      for (const n of names) io.out(n);
      if (names.length === 0) io.err(`no profiles in ${profilesDir}`);
      return 0;
    }
    case 'schema': {
      io.out(JSON.stringify(configJsonSchema(), null, 2));
      return 0;
    }
    case 'pin-hash': {
      try {
        io.out(await pinHashLine(await stdin()));
        return 0;
      } catch (e) {
        if (e instanceof RangeError) return usage(io, e.message);
        throw e;
      }
    }
    default:
      return usage(io, sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`);
  }
}
