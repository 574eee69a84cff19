/** The CSV options that shape records: Spark's `sep`, `quote`, `escape`. */
export interface CsvSyntax {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
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

/**
 * Splits CSV text into records (RFC 4180): quoted fields may hold separators, line
 * breaks, doubled quotes and escaped quotes. Blank lines are skipped, as Spark does.
 */
export function* csvRecords(text: string, syntax: CsvSyntax): Generator<CsvRecord> {
  const { sep, quote, escape } = syntax;
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    const fields: string[] = [];
    const quoted: boolean[] = [];
    let error: string | null = null;
    let field = "";
    let isQuoted = false;
    let atFieldStart = true;
    let ended = false;
    while (i < n && !ended) {
      const ch = text[i]!;
      if (atFieldStart && ch === quote) {
        // A quoted field: up to the closing quote.
        isQuoted = true;
        atFieldStart = false;
        i++;
        let closed = false;
        while (i < n) {
          const q = text[i]!;
          if (q === escape && escape !== quote && i + 1 < n && (text[i + 1] === quote || text[i + 1] === escape)) {
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
        continue;
      }
      atFieldStart = false;
      if (ch === sep) {
        fields.push(field);
        quoted.push(isQuoted);
        field = "";
        isQuoted = false;
        atFieldStart = true;
        i++;
      } else if (ch === "\n" || ch === "\r") {
        ended = true;
        i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
        line++;
      } else {
        field += ch;
        i++;
      }
    }
    const rawEnd = i;
    const raw = text.slice(recordStart, rawEnd).replace(/\r?\n$|\r$/, "");
    if (fields.length === 0 && field === "" && !isQuoted && error === null) continue; // blank line
    fields.push(field);
    quoted.push(isQuoted);
    yield { fields, quoted, line: recordLine, raw, error };
  }
}
