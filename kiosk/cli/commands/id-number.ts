// `eid-kiosk id-number check N [--today YYYY-MM-DD] [--json]`: verify a Chinese identity number (18-digit,
// 15-digit legacy, HK/Macao/Taiwan permit, foreigner card 2017/2023). Exit 0 valid, 1 invalid, 2 usage.
// The number is echoed masked.
import { parseArgs } from 'node:util';
import { checkIdNumber } from '../../credentials/cn-resident-id/id-number.ts';
import { maskDocumentNumber } from '../../core/mask.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'usage: eid-kiosk id-number check N [--today YYYY-MM-DD] [--json]';

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function run(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { today: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
  } catch (e) {
    io.err(`E_CLI_USAGE: ${e instanceof Error ? e.message : String(e)}`);
    io.err(USAGE);
    return Promise.resolve(2);
  }
  const [sub, n, ...extra] = parsed.positionals;
  const today = parsed.values.today ?? localToday();
  if (sub !== 'check' || n === undefined || extra.length > 0 || !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    io.err(`E_CLI_USAGE: ${USAGE}`);
    return Promise.resolve(2);
  }
  const v = checkIdNumber(n, today);
  const shown = maskDocumentNumber(v.normalized ?? n.trim());
  if (parsed.values.json === true) {
    const { normalized: _n, expectedCheck: _e, ...rest } = v;
    io.out(JSON.stringify({ number: shown, ...rest }));
  } else {
    const facts = [
      v.kind && `kind ${v.kind}`,
      v.birthDate && `born ${v.birthDate}`,
      v.sex && `sex ${v.sex}`,
      v.regionKnown === false && 'region code not in the province list (soft check only)',
    ].filter(Boolean);
    io.out(
      `${v.valid ? 'valid' : 'invalid'}: ${shown} — ${v.reason}${facts.length ? ` (${facts.join(', ')})` : ''}`,
    );
  }
  return Promise.resolve(v.valid ? 0 : 1);
}
