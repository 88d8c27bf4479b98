import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../../../kiosk/venues/csv.ts';

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '9', ' ', ',', '"', '\n', '\r\n', '张', 'é', ';', '\t', '='];

describe('csv', () => {
  it('round-trips random cells with commas, quotes, newlines and CJK (seeded)', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const r = rng(seed);
      const rows = Array.from({ length: 40 }, () =>
        Array.from({ length: 5 }, () =>
          Array.from({ length: Math.floor(r() * 8) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join(
            '',
          ),
        ),
      );
      // a row of one empty cell is a blank line, which CSV cannot tell from nothing: give it content
      const text = formatCsv(rows);
      const parsed = parseCsv(text);
      expect(parsed.problems, `seed ${seed}`).toEqual([]);
      expect(
        parsed.records.map((x) => x.cells),
        `seed ${seed}`,
      ).toEqual(rows);
    }
  });

  it('numbers records by the line they start on, across quoted newlines and CRLF', () => {
    const { records } = parseCsv('\uFEFFa,b\r\n"multi\nline",x\r\n\r\nlast,"q""uote"\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['multi\nline', 'x'] },
      { line: 5, cells: ['last', 'q"uote'] },
    ]);
  });

  it('reports broken quoting by line and keeps going', () => {
    const { records, problems } = parseCsv('a,b\nx"y,z\n"ok",1\n"bad"tail,2\n');
    expect(problems).toEqual([
      { line: 2, message: 'a quote inside an unquoted field' },
      { line: 4, message: 'text after a closing quote' },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
  });
});
