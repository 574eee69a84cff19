/** A UTF-16 unit at which JS's order and code-point order may part: a surrogate or U+E000–U+FFFF. */
const HIGH_UNIT = /[\uD800-\uFFFF]/;

/**
 * Orders two strings by code point, as Spark compares UTF8String bytes. JS's `<` compares UTF-16
 * code units (natively, fast), which disagrees only where a surrogate (a code point above U+FFFF)
 * meets a unit in U+E000–U+FFFF: only when both strings hold such units is the first difference
 * looked at.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const native = a < b ? -1 : 1;
  if (!HIGH_UNIT.test(a) || !HIGH_UNIT.test(b)) return native;
  let i = 0;
  while (a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const x = a.charCodeAt(i), y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800 && (x < 0xe000) !== (y < 0xe000)) return x < 0xe000 ? 1 : -1;
  return native;
}
