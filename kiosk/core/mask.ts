// Masks for anything a person or an attendant sees. Pure.

/** 张三 → 张*, 欧阳娜娜 → 欧***, ZHANG SAN → Z*** S** . Keeps the first character of each word. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return '';
  if (/\s/.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((w) => maskName(w))
      .join(' ');
  }
  const chars = Array.from(trimmed);
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 11010519491231002X → 1101**********002X: first 4 and last 4 kept; short numbers keep first and last 2. */
export function maskDocumentNumber(n: string): string {
  const s = n.trim();
  if (s.length <= 6) return s.slice(0, 1) + '*'.repeat(Math.max(0, s.length - 1));
  const keep = s.length >= 12 ? 4 : 2;
  return s.slice(0, keep) + '*'.repeat(s.length - 2 * keep) + s.slice(-keep);
}
