/**
 * Output that fits a terminal: the width to fit (process.stdout.columns, 120 when not a TTY), and pure helpers
 * that keep a line within it — cut with "…", wrap with an indent, a long list summarised by its count.
 * Widths count code points: a wide (CJK) character counts as one column, which only ever makes a line shorter
 * than the bound on screen by its extra half, never the full text longer than asked (one column per code point).
 */

/** Width used when stdout is not a terminal (piped, CI, a test). */
export const NON_TTY_WIDTH = 120;

/** The narrowest width the helpers honour (a 10-column terminal is not worth a layout). */
export const MIN_WIDTH = 20;

export const ELLIPSIS = '…';

type Stream = { isTTY?: boolean; columns?: number };

/** The terminal's width, or 120 when stdout is not a TTY (or reports no width). */
export const outputWidth = (stream: Stream = process.stdout): number =>
  Math.max(MIN_WIDTH, stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : NON_TTY_WIDTH);

/** Length in columns (code points). */
export const textWidth = (text: string): number => Array.from(text).length;

/** One line (newlines and runs of blanks around them become one space), cut to `width` with "…" when longer. */
export const truncate = (text: string, width: number): string => {
  const chars = Array.from(text.replace(/\s*\r?\n\s*/g, ' '));
  if (chars.length <= width) return chars.join('');
  if (width <= 0) return '';
  return chars.slice(0, width - 1).join('').trimEnd() + ELLIPSIS;
};

/**
 * Lines of at most `width` columns: words kept whole where they fit, a word longer than a line cut into pieces;
 * continuation lines start with `indent` (which counts against the width).
 */
export const wrap = (text: string, width: number, indent = ''): string[] => {
  const lines: string[] = [];
  const room = (): number => Math.max(1, width - (lines.length === 0 ? 0 : textWidth(indent)));
  let current = '';
  const flush = (): void => {
    lines.push(lines.length === 0 ? current : indent + current);
    current = '';
  };
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let rest = Array.from(word);
    while (rest.length > 0) {
      const space = current.length > 0 ? 1 : 0;
      const free = room() - textWidth(current) - space;
      if (rest.length <= free) {
        current += (space ? ' ' : '') + rest.join('');
        rest = [];
      } else if (current.length > 0) {
        flush();
      } else {
        current = rest.slice(0, room()).join('');
        rest = rest.slice(room());
        flush();
      }
    }
  }
  if (current.length > 0 || lines.length === 0) flush();
  return lines;
};

/**
 * The items joined with ", " when that fits in `budget` columns, else `summary(count)` (for example
 * "12 permission sets"): a cell never grows with the length of a list.
 */
export const listOrCount = (items: readonly string[], budget: number, summary: (count: number) => string): string => {
  const joined = items.join(', ');
  return items.length <= 1 || textWidth(joined) <= budget ? joined : summary(items.length);
};

/** Every line cut to `width` (for text this module did not lay out itself). */
export const fitLines = (lines: readonly string[], width: number): string[] => lines.map((line) => truncate(line, width));

/**
 * Column widths that fit in `available` columns. Columns that fit keep their natural width; the widest ones are
 * cut to one common width (never below their minimum), so no single column is squeezed to nothing while
 * another keeps its full text. The result can exceed `available` only when the minimums alone do.
 */
export const fitColumns = (natural: readonly number[], available: number, minimum: readonly number[] = []): number[] => {
  const floor = natural.map((width, i) => Math.min(width, minimum[i] ?? 1));
  const widthsAt = (cap: number): number[] => natural.map((width, i) => Math.min(width, Math.max(cap, floor[i])));
  const sum = (widths: number[]): number => widths.reduce((total, width) => total + width, 0);
  if (sum([...natural]) <= available) return [...natural];
  let low = 0;
  let high = Math.max(0, ...natural);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sum(widthsAt(mid)) <= available) low = mid;
    else high = mid - 1;
  }
  const widths = widthsAt(low);
  // What integer rounding left over goes to the cut columns, left to right.
  let spare = available - sum(widths);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    if (widths[i] < natural[i]) {
      widths[i]++;
      spare--;
    }
  }
  return widths;
};

/** `prefix` then `text` wrapped in the columns after it, continuation lines indented to start under the text. */
export const hang = (prefix: string, text: string, width: number): string[] => {
  const indent = textWidth(prefix);
  return wrap(text, Math.max(1, width - indent)).map((line, i) => (i === 0 ? prefix : ' '.repeat(indent)) + line);
};
