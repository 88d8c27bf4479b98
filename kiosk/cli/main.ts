// `eid-kiosk <group> ...`: each group lives in ./commands/<group>.ts and exports `run(args, io)`.
// Groups are loaded lazily so `eid-kiosk --version` touches no native module.
import { readFileSync } from 'node:fs';
import type { CliIo, CommandModule } from './io.ts';
import { stdIo } from './io.ts';

/** group → [module path, one-line summary]. Append as areas land. */
const GROUPS: Record<string, readonly [string, string]> = {
  config: ['./commands/config.ts', 'config check FILE — validate a kiosk config file'],
  decode: ['./commands/decode.ts', 'decode sam-id|mrz|hid-pos FILE — decode raw reader bytes to JSON lines'],
  'id-number': ['./commands/id-number.ts', 'id-number check N — verify a Chinese ID number'],
  face: ['./commands/face.ts', 'face verify A B | face calibrate PAIRS — face match and calibration'],
  audit: ['./commands/audit.ts', 'audit verify DB — check an audit store: chain, signatures'],
  qr: ['./commands/qr.ts', 'qr decode IMAGE... — decode QR codes in images'],
  'identity-qr': ['./commands/identity-qr.ts', 'identity-qr issue|verify — the signed identity code'],
  tickets: [
    './commands/tickets.ts',
    'tickets pseudonymise|import|bans|throughput — real-name tickets and ban list',
  ],
  hotel: ['./commands/hotel.ts', 'hotel bookings|sealed|export — bookings and the guest-record export'],
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function help(io: CliIo): void {
  io.out('usage: eid-kiosk <command> [args]\n\ncommands:');
  for (const [, [, summary]] of Object.entries(GROUPS)) io.out(`  ${summary}`);
  io.out('  --version — print the version');
}

export async function main(argv: readonly string[], io: CliIo = stdIo): Promise<number> {
  const [group, ...rest] = argv;
  if (group === '--version' || group === '-v') {
    io.out(version());
    return 0;
  }
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    help(io);
    return group === undefined ? 2 : 0;
  }
  const entry = GROUPS[group];
  if (!entry) {
    io.err(`E_CLI_USAGE: unknown command '${group}'`);
    help(io);
    return 2;
  }
  const mod = (await import(entry[0])) as CommandModule;
  return mod.run(rest, io);
}
