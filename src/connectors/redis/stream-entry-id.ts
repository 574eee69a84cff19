/**
 * Redis stream entry ids `<ms>-<seq>`: ordered by milliseconds, then sequence. The
 * milliseconds are when the entry was added (for ids Redis generated).
 */
export function parseEntryId(id: string): [number, number] {
  const dash = id.indexOf("-");
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

export function compareEntryIds(a: string, b: string): number {
  const [am, as] = parseEntryId(a);
  const [bm, bs] = parseEntryId(b);
  return am !== bm ? am - bm : as - bs;
}

/** The entry's time in µs since the epoch. */
export function entryTimestampMicros(id: string): number {
  return parseEntryId(id)[0] * 1000;
}

/** The id before every entry: reading after it reads the whole stream. */
export const BEFORE_FIRST_ENTRY = "0-0";
