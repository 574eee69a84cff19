/**
 * The CSV options that shape records: Spark's `sep`, `quote`, `escape` ("\u0000" turns
 * quoting or escaping off), `comment`, `ignoreLeadingWhiteSpace`, `ignoreTrailingWhiteSpace`
 * and `lineSep` (null: \n, \r\n or \r).
 */
export interface CsvSyntax {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  readonly comment?: string | null;
  readonly ignoreLeadingWhiteSpace?: boolean;
  readonly ignoreTrailingWhiteSpace?: boolean;
  readonly lineSep?: string | null;
}

/** One record: its field texts, which were quoted, and where it is. */
export interface CsvRecord {
  readonly fields: string[];
  readonly quoted: boolean[];
  /** 1-based line the record starts on. */
  readonly line: number;
  readonly raw: string;
  /** Why the record could not be split (an unterminated quote), or null. */
  readonly error: string | null;
}

function trimEnd(text: string): string {
  return text.replace(/[\u0000-\u0020]+$/, "");
}

/** Whitespace as univocity trims it: any character up to U+0020. */
function isWhite(ch: string): boolean {
  return ch <= " ";
}

/**
 * Splits CSV text into records (RFC 4180): quoted fields may hold separators, line
 * breaks, doubled quotes and escaped quotes. Blank lines and comment lines are skipped,
 * as Spark does.
 */
export function* csvRecords(text: string, syntax: CsvSyntax): Generator<CsvRecord> {
  const { sep, quote, escape } = syntax;
  const comment = syntax.comment ?? null;
  const lineSep = syntax.lineSep ?? null;
  const trimLeading = syntax.ignoreLeadingWhiteSpace === true;
  const trimTrailing = syntax.ignoreTrailingWhiteSpace === true;
  const n = text.length;
  /** The length of the record separator at i, or 0. */
  const breakAt = (i: number): number => {
    const ch = text[i];
    if (lineSep !== null) return text.startsWith(lineSep, i) ? lineSep.length : 0;
    if (ch === "\n") return 1;
    if (ch === "\r") return text[i + 1] === "\n" ? 2 : 1;
    return 0;
  };
  const breakStart = lineSep === null ? "\n" : lineSep[0];
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    if (comment !== null && text[i] === comment) {
      // A comment line: up to the end of the line.
      while (i < n && breakAt(i) === 0) i++;
      if (i < n) { if (text[i] === "\n" || text[i] === "\r") line++; i += breakAt(i); }
      continue;
    }
    const fields: string[] = [];
    const quoted: boolean[] = [];
    let error: string | null = null;
    let field = "";
    let isQuoted = false;
    let atFieldStart = true;
    let ended = false;
    while (i < n && !ended) {
      const ch = text[i]!;
      if (atFieldStart && trimLeading && ch !== sep && isWhite(ch) && breakAt(i) === 0) { i++; continue; }
      if (atFieldStart && ch === quote && quote !== "\u0000") {
        // A quoted field: up to the closing quote.
        isQuoted = true;
        atFieldStart = false;
        i++;
        let closed = false;
        while (i < n) {
          const q = text[i]!;
          if (q === escape && escape !== quote && escape !== "\u0000" && i + 1 < n && (text[i + 1] === quote || text[i + 1] === escape)) {
            field += text[i + 1];
            i += 2;
          } else if (q === quote) {
            if (text[i + 1] === quote) { field += quote; i += 2; }
            else { i++; closed = true; break; }
          } else {
            if (q === "\n") line++;
            field += q;
            i++;
          }
        }
        if (!closed) error = `unterminated quoted field starting on line ${recordLine}`;
        // Whitespace between the closing quote and the separator is not part of the value.
        if (trimTrailing) while (i < n && text[i] !== sep && isWhite(text[i]!) && breakAt(i) === 0) i++;
        continue;
      }
      atFieldStart = false;
      // Only a character that can start a record separator needs the full check.
      const br = ch === breakStart || (lineSep === null && ch === "\r") ? breakAt(i) : 0;
      if (ch === sep) {
        fields.push(trimTrailing && !isQuoted ? trimEnd(field) : field);
        quoted.push(isQuoted);
        field = "";
        isQuoted = false;
        atFieldStart = true;
        i++;
      } else if (br > 0) {
        ended = true;
        i += br;
        line++;
      } else {
        if (lineSep !== null && ch === "\n") line++;
        field += ch;
        i++;
      }
    }
    const raw = text.slice(recordStart, i).replace(lineSep === null ? /\r?\n$|\r$/ : new RegExp(`${lineSep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), "");
    if (fields.length === 0 && field === "" && !isQuoted && error === null) continue; // blank line
    fields.push(trimTrailing && !isQuoted ? trimEnd(field) : field);
    quoted.push(isQuoted);
    yield { fields, quoted, line: recordLine, raw, error };
  }
}
