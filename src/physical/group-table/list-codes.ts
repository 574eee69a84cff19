/**
 * What the codes of other string lists became in one key column: per list, own code + 1
 * (0: not looked up yet) by index. For lists that are only ever appended to (a worker's
 * dictionary as this thread keeps it, partial-key-strings.ts; a KeyColumn's `strings`), so
 * that an index keeps its string while the list lives; kept only while the column's own codes
 * stand (forget() when they change).
 */
export class ListCodes {
  #byList = new WeakMap<readonly string[], Int32Array>();

  /** The codes of `list`, room for each of its strings. */
  of(list: readonly string[]): Int32Array {
    let codes = this.#byList.get(list);
    if (codes === undefined || codes.length < list.length) {
      const grown = new Int32Array(Math.max(list.length, codes === undefined ? 0 : codes.length * 2));
      if (codes !== undefined) grown.set(codes);
      codes = grown;
      this.#byList.set(list, codes);
    }
    return codes;
  }

  /** The column's codes changed: nothing kept holds. */
  forget(): void {
    this.#byList = new WeakMap();
  }
}
