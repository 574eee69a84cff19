/**
 * Whether a string has no lone surrogate (a UTF-16 unit of a pair standing alone). UTF-8 has
 * no bytes for one: Buffer and TextEncoder write U+FFFD in its place, so a string that is not
 * well formed does not come back from its UTF-8 (String.prototype.isWellFormed, ES2024).
 */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}
