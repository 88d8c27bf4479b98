import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, KioskError } from '../../../kiosk/shared/errors.ts';
import { ERROR_AREAS, renderErrorDocs } from '../../../kiosk/shared/error-docs.ts';

describe('error codes', () => {
  it('follow E_AREA_WHAT and have a meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^E_[A-Z0-9]+(_[A-Z0-9]+)+$/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });

  it('are unique across areas (no area silently redefines another area’s code)', () => {
    const seen = new Map<string, string>();
    for (const [area, codes] of ERROR_AREAS) {
      for (const code of Object.keys(codes)) {
        expect(seen.get(code), `${code} in ${area} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, area);
      }
    }
    expect(seen.size).toBe(Object.keys(ERROR_CODES).length);
  });

  it('docs/error-codes.md is generated from the tables (run scripts/gen-error-docs.ts)', () => {
    const doc = readFileSync(new URL('../../../docs/error-codes.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderErrorDocs());
  });

  it('KioskError carries its code and cause', () => {
    const cause = new Error('inner');
    const e = new KioskError('E_CORE_INTERNAL', 'outer', { cause });
    expect(e.code).toBe('E_CORE_INTERNAL');
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
  });
});
