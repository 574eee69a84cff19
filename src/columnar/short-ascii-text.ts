/**
 * Short ASCII strings made from bytes without leaving JavaScript. Buffer's `latin1Slice` is a
 * call into C++ through the embedder API, which costs about 50 ns before it copies a byte;
 * `String.fromCharCode(c0, c1, …)` with the bytes as arguments is a V8 builtin that
 * allocates the one-byte string and fills it. Measured on Node 20 (V8 11.3), per string, one
 * process, strings kept in a 50,000-entry array as a batch's dictionary is:
 *
 *   bytes          4    8    16   24   32   48   64
 *   latin1Slice    65   64   66   69   72   80   86  ns
 *   fromCharCode   18   28   38   50   60  101  113  ns
 *
 * so utf8Text makes strings up to SHORT_TEXT_MAX bytes this way: above all the ids of a column
 * of unique keys, which the JSON decoder makes one per row. One function per length, each with
 * its arguments written out (a spread or `apply` would build an array first and cost more than
 * the C++ call).
 */

/** The longest byte run shortAsciiText makes a string of (from ~36 bytes on, latin1Slice is cheaper). */
export const SHORT_TEXT_MAX = 32;

/**
 * Per length n ≤ SHORT_TEXT_MAX, a function (b, start) giving the string of the n bytes
 * b[start, start + n) when they are all ASCII (below 0x80), else null (they must then be
 * decoded as UTF-8). The caller keeps start + n ≤ b.length. Null as a whole where the runtime
 * forbids generating code (`--disallow-code-generation-from-strings`): callers then copy
 * with latin1Slice.
 */
export const shortAsciiText: ReadonlyArray<(b: Uint8Array, start: number) => string | null> | null = makeShortAsciiText();

function makeShortAsciiText(): Array<(b: Uint8Array, start: number) => string | null> | null {
  const fns: Array<(b: Uint8Array, start: number) => string | null> = [() => ""];
  try {
    for (let n = 1; n <= SHORT_TEXT_MAX; n++) {
      const units = Array.from({ length: n }, (_, k) => `c${k}`);
      const loads = units.map((c, k) => `${c} = b[s + ${k}]`).join(", ");
      // The source is fixed code: the length is the only thing that varies.
      fns.push(new Function("b", "s",
        `"use strict"; const ${loads}; return ((${units.join(" | ")}) & 0x80) === 0 ? String.fromCharCode(${units.join(", ")}) : null;`,
      ) as (b: Uint8Array, start: number) => string | null);
    }
  } catch (e) {
    if (e instanceof EvalError) return null;
    throw e;
  }
  return fns;
}
