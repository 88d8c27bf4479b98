import { describe, expect, it } from 'vitest';
import { canonicalJson, decimal6, rateString } from '../../../kiosk/audit/canonical.ts';
import { eventHash } from '../../../kiosk/audit/chain.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('gives the same text whatever the insertion order', () => {
    const a = { seq: 1, body: { x: 'é', y: [1, 2] }, type: 't' };
    const b = { type: 't', body: { y: [1, 2], x: 'é' }, seq: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('sorts by UTF-16 code units (as Array.prototype.sort), not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"é":3}');
  });

  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001张' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001张"}');
  });

  it.each([1.5, -0, NaN, Infinity, 2 ** 53])('refuses the number %s', (n) => {
    let err: unknown;
    try {
      canonicalJson({ n });
    } catch (e) {
      err = e;
    }
    expect(isKioskError(err) && err.code).toBe('E_AUDIT_NOT_CANONICAL');
  });

  it('refuses undefined in arrays, functions, dates and class instances', () => {
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined in an array/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/not canonical/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain objects/);
  });

  it('carries fractions as fixed decimal strings and rates in exponent form', () => {
    expect(decimal6(0.7123456789)).toBe('0.712346');
    expect(decimal6(-0.0000001)).toBe('0.000000');
    expect(rateString(5e-4)).toBe('5e-4');
    expect(rateString(1e-6)).toBe('1e-6');
    expect(rateString(0.001)).toBe('1e-3');
    expect(() => decimal6(NaN)).toThrow();
  });

  it('hashes an event to a fixed vector (the documented encoding does not drift)', () => {
    const core = {
      v: 1 as const,
      terminalId: 't_00',
      seq: 1,
      time: 1_700_000_000_000,
      type: 'device.ready' as const,
      prevHash: '0'.repeat(64),
      body: { device: 'camera' as const },
    };
    expect(canonicalJson(core)).toBe(
      '{"body":{"device":"camera"},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"terminalId":"t_00","time":1700000000000,"type":"device.ready","v":1}',
    );
    // sha256 of the line above, computed independently with `printf %s '...' | sha256sum`
    expect(eventHash(core)).toBe('111c5e369442fca1e139d6a376f3bd5381492715018bb4e1e6b14c6a2e559ece');
  });
});
