// RFC 4180 CSV with line numbers, for imports (tickets, bans, bookings) and the hotel export. Pure.

export interface CsvRecord {
  /** 1-based line on which the record starts (the header is line 1 in a file with a header). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/** Splits CSV text into records. Blank lines are skipped; a BOM is dropped; CRLF and LF both end a line. */
export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  while (i < s.length) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    let broken: string | undefined;
    let endOfRecord = false;
    while (i < s.length && !endOfRecord) {
      const c = s[i]!;
      if (quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i += 1;
            const n = s[i];
            if (n !== undefined && n !== ',' && n !== '\n' && n !== '\r') {
              broken ??= 'text after a closing quote';
            }
          }
        } else {
          if (c === '\n') line += 1;
          cell += c;
          i += 1;
        }
        continue;
      }
      if (c === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
        i += 1;
      } else if (c === ',') {
        cells.push(cell);
        cell = '';
        atCellStart = true;
        i += 1;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
        line += 1;
        endOfRecord = true;
      } else {
        if (c === '"') broken ??= 'a quote inside an unquoted field';
        cell += c;
        atCellStart = false;
        i += 1;
      }
    }
    if (quoted) broken ??= 'a quoted field is not closed';
    cells.push(cell);
    if (cells.length === 1 && cells[0] === '' && !broken) continue; // blank line
    if (broken) problems.push({ line: startLine, message: broken });
    else records.push({ line: startLine, cells });
  }
  return { records, problems };
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || /^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Formats rows as CSV (CRLF line ends, as RFC 4180 says). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Maps a header row to column indexes; reports missing required and unknown columns. */
export function columns<K extends string>(
  header: CsvRecord,
  required: readonly K[],
  optional: readonly K[] = [],
): { index: Partial<Record<K, number>>; problems: CsvProblem[] } {
  const index: Partial<Record<K, number>> = {};
  const problems: CsvProblem[] = [];
  const known = new Set<string>([...required, ...optional]);
  header.cells.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) {
      problems.push({ line: header.line, message: `unknown column '${raw}'` });
      return;
    }
    if (index[name as K] !== undefined) {
      problems.push({ line: header.line, message: `column '${raw}' appears twice` });
      return;
    }
    index[name as K] = i;
  });
  for (const r of required) {
    if (index[r] === undefined) problems.push({ line: header.line, message: `missing column '${r}'` });
  }
  return { index, problems };
}
