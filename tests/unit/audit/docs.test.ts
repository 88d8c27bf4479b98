// Keeps docs/audit.md and docs/backend.md in step with the code: every audit error code and every key of
// the `audit` config section is documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditCodes } from '../../../kiosk/shared/error-codes/audit.ts';
import { configSchema } from '../../../config/schema.ts';
import { backendOptionsSchema } from '../../../backend/options.ts';

const audit = readFileSync(new URL('../../../docs/audit.md', import.meta.url), 'utf8');
const backend = readFileSync(new URL('../../../docs/backend.md', import.meta.url), 'utf8');

function keys(v: unknown, prefix = ''): string[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? keys(x, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('audit docs', () => {
  it('document every audit error code', () => {
    for (const code of Object.keys(auditCodes)) expect(audit, code).toContain(`\`${code}\``);
  });
  it('document every key of the audit config section', () => {
    const section = configSchema.parse({}).audit;
    for (const k of keys(section)) expect(audit, k).toContain(`\`${k}\``);
  });
  it('document every backend option', () => {
    for (const k of Object.keys(backendOptionsSchema.shape)) expect(backend, k).toContain(`\`${k}\``);
  });
});
