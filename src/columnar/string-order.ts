/**
 * Orders two strings by code point, as Spark compares UTF8String bytes. JS's `<` compares UTF-16
 * code units, which disagrees only where a surrogate (a code point above U+FFFF) meets a unit
 * in U+E000–U+FFFF: the scan finds the first difference and fixes that one case.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  while (a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const x = a.charCodeAt(i), y = b.charCodeAt(i);
  // Past the end of one: the shorter (a prefix of the other) is less.
  if (x !== x) return -1;
  if (y !== y) return 1;
  if (x >= 0xd800 && y >= 0xd800 && (x < 0xe000) !== (y < 0xe000)) return x < 0xe000 ? 1 : -1;
  return x < y ? -1 : 1;
}
