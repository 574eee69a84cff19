import type { DataType, StructType } from "../../types/data-types.ts";

/**
 * Spark's UnsafeRow.toString: the row's binary layout as 64-bit little-endian words in
 * unsigned hex, `[0,1,1000000001,78]`. It is what Spark's to_json writes for a map key
 * that is a struct (JacksonGenerator names a map's field by the key's toString), so a
 * rivulet map with struct keys serialises to the same text.
 *
 * The layout: a null bit set (one word per 64 fields), one word per field (a fixed-width
 * value zero-extended, or `offset << 32 | size` of variable-length data), then the
 * variable-length data (strings, binaries, big decimals, nested structs) padded to words.
 */
export function unsafeRowText(row: Readonly<Record<string, unknown>>, type: StructType): string {
  return `[${unsafeRowWords(row, type).map((w) => BigInt.asUintN(64, w).toString(16)).join(",")}]`;
}

function unsafeRowWords(row: Readonly<Record<string, unknown>>, type: StructType): bigint[] {
  const n = type.fields.length;
  const bitsetWords = Math.ceil(n / 64);
  const words: bigint[] = new Array<bigint>(bitsetWords + n).fill(0n);
  type.fields.forEach((f, i) => {
    const v = row[f.name];
    const slot = bitsetWords + i;
    const setNull = (): void => { words[Math.floor(i / 64)]! |= 1n << BigInt(i % 64); };
    const variable = (data: bigint[], size: number): void => {
      words[slot] = (BigInt(words.length * 8) << 32n) | BigInt(size);
      words.push(...data);
    };
    if (f.dataType.kind === "decimal" && f.dataType.precision > 18) {
      // Always 16 bytes reserved; a null keeps its offset with size 0.
      if (v === null || v === undefined) { setNull(); variable([0n, 0n], 0); return; }
      const bytes = bigEndianTwosComplement(v as bigint);
      variable(bytesToWords(bytes, 2), bytes.length);
      return;
    }
    if (v === null || v === undefined) { setNull(); return; }
    const fixed = fixedWord(v, f.dataType);
    if (fixed !== undefined) { words[slot] = fixed; return; }
    if (f.dataType.kind === "struct") {
      const nested = unsafeRowWords(v as Record<string, unknown>, f.dataType);
      variable(nested, nested.length * 8);
      return;
    }
    const bytes = f.dataType.kind === "binary" ? (v as Uint8Array) : new TextEncoder().encode(String(v));
    variable(bytesToWords(bytes), bytes.length);
  });
  return words;
}

/** A fixed-width value's word (the writer zeroes the word, then stores the value's bytes at its start). */
function fixedWord(v: unknown, type: DataType): bigint | undefined {
  switch (type.kind) {
    case "boolean": return v === true ? 1n : 0n;
    case "byte": return BigInt.asUintN(8, BigInt(v as number));
    case "short": return BigInt.asUintN(16, BigInt(v as number));
    case "int": case "date": case "interval_ym": return BigInt.asUintN(32, BigInt(v as number));
    case "long": case "timestamp": case "timestamp_ntz": case "interval_dt": return BigInt(v as number | bigint);
    case "float": {
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, v as number);
      return BigInt(view.getUint32(0));
    }
    case "double": {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v as number);
      return view.getBigUint64(0);
    }
    case "decimal": return v as bigint; // precision ≤ 18: the unscaled long
    default: return undefined;
  }
}

/** BigInteger.toByteArray: the shortest big-endian two's complement. */
function bigEndianTwosComplement(u: bigint): Uint8Array {
  let bytes = 1;
  while (BigInt.asIntN(bytes * 8, u) !== u) bytes++;
  const out = new Uint8Array(bytes);
  let x = BigInt.asUintN(bytes * 8, u);
  for (let i = bytes - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

/** Bytes as little-endian words, zero-padded to a whole word (at least `minWords`). */
function bytesToWords(bytes: Uint8Array, minWords = 0): bigint[] {
  const count = Math.max(minWords, Math.ceil(bytes.length / 8));
  const out: bigint[] = [];
  for (let w = 0; w < count; w++) {
    let word = 0n;
    for (let b = 7; b >= 0; b--) word = (word << 8n) | BigInt(bytes[w * 8 + b] ?? 0);
    out.push(word);
  }
  return out;
}
