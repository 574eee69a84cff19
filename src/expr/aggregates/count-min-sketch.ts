import { AnalysisError } from "../../common/errors.ts";
import { BinaryType, typeName } from "../../types/data-types.ts";
import type { AggregateCall, Expression } from "../expression.ts";
import { typeOf } from "../coercion.ts";
import { murmur3Bytes } from "../functions/spark-hashes.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/**
 * count_min_sketch(col, eps, confidence, seed): Spark's CountMinSketchAgg, the sketch
 * serialised as Spark's CountMinSketch.toByteArray writes it, so Spark's
 * CountMinSketch.readFrom reads rivulet's bytes (and the other way round): version 1, total
 * count, depth, width, the row hashes' multipliers and the table, big-endian. The same
 * seed gives the same multipliers as Spark (java.util.Random), the same items the same
 * cells: integers hash by CountMinSketchImpl's multiply-shift, strings and binaries by two
 * Murmur3 hashes of their bytes.
 */

interface Sketch {
  totalCount: number;
  /** depth × width counts, row-major. */
  table: Float64Array;
}

interface Shape {
  readonly depth: number;
  readonly width: number;
  readonly hashA: readonly bigint[];
}

const PRIME_MODULUS = (1n << 31n) - 1n;

/** java.util.Random(seed).nextInt(Integer.MAX_VALUE), `count` times. */
function javaRandomInts(seed: number, count: number): bigint[] {
  const mask = (1n << 48n) - 1n;
  let state = (BigInt(seed) ^ 0x5deece66dn) & mask;
  const next31 = (): number => {
    state = (state * 0x5deece66dn + 0xbn) & mask;
    return Number(state >> 17n);
  };
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const bound = 2147483647;
    let bits = next31();
    // Random.nextInt's rejection of the one value that would bias the remainder.
    while (bits - (bits % bound) + (bound - 1) > 2147483647) bits = next31();
    out.push(BigInt(bits % bound));
  }
  return out;
}

function shapeOf(eps: number, confidence: number, seed: number): Shape {
  const width = Math.ceil(2 / eps);
  const depth = Math.ceil(-Math.log(1 - confidence) / Math.log(2));
  return { depth, width, hashA: javaRandomInts(seed, depth) };
}

/** CountMinSketchImpl.hash(long item, int row). */
function longBucket(item: bigint, a: bigint, width: number): number {
  let hash = BigInt.asIntN(64, a * item);
  hash = BigInt.asIntN(64, hash + (hash >> 32n));
  hash &= PRIME_MODULUS;
  return Number(hash) % width;
}

const utf8 = new TextEncoder();

function add(sketch: Sketch, shape: Shape, item: unknown): void {
  const { depth, width, hashA } = shape;
  if (typeof item === "number" || typeof item === "bigint") {
    const x = BigInt(item);
    for (let i = 0; i < depth; i++) sketch.table[i * width + longBucket(x, hashA[i]!, width)]! += 1;
  } else {
    const bytes = typeof item === "string" ? utf8.encode(item) : (item as Uint8Array);
    const hash1 = murmur3Bytes(bytes, 0);
    const hash2 = murmur3Bytes(bytes, hash1);
    for (let i = 0; i < depth; i++) sketch.table[i * width + Math.abs(((hash1 + Math.imul(i, hash2)) | 0) % width)]! += 1;
  }
  sketch.totalCount += 1;
}

/** CountMinSketchImpl.writeTo. */
function serialise(sketch: Sketch, shape: Shape): Uint8Array {
  const { depth, width, hashA } = shape;
  const out = new DataView(new ArrayBuffer(4 + 8 + 4 + 4 + 8 * depth + 8 * depth * width));
  let at = 0;
  out.setInt32(at, 1); at += 4;
  out.setBigInt64(at, BigInt(sketch.totalCount)); at += 8;
  out.setInt32(at, depth); at += 4;
  out.setInt32(at, width); at += 4;
  for (const a of hashA) { out.setBigInt64(at, a); at += 8; }
  for (const c of sketch.table) { out.setBigInt64(at, BigInt(c)); at += 8; }
  return new Uint8Array(out.buffer);
}

/** A foldable numeric argument's value: a number, or a decimal literal (0.1 in SQL is a DECIMAL). */
function constant(e: Expression): number | null {
  if (e.kind !== "Literal" || e.value === null) return null;
  const t = e.dataType;
  if (typeof e.value === "number") return e.value;
  if (typeof e.value === "bigint") return t?.kind === "decimal" ? Number(e.value) / 10 ** t.scale : Number(e.value);
  return null;
}

function parameters(call: { readonly args: readonly Expression[] }): [number, number, number] {
  const names = ["eps", "confidence", "seed"];
  const values = call.args.slice(1).map((a, i) => {
    const v = constant(a);
    if (v === null) throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "count_min_sketch" due to data type mismatch: the input \`${names[i]}\` should be a foldable ${i === 2 ? "INT" : "DOUBLE"} expression.`);
    return v;
  }) as [number, number, number];
  const [eps, confidence] = values;
  if (!(eps > 0)) throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "count_min_sketch" due to data type mismatch: The \`eps\` must be between (0.0, 1.7976931348623157E308] (current value = ${eps}).`);
  if (!(confidence > 0 && confidence < 1)) throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "count_min_sketch" due to data type mismatch: The \`confidence\` must be between (0.0, 1.0) (current value = ${confidence}).`);
  return [eps, confidence, Math.trunc(values[2])];
}

export const countMinSketch: AggregateFunction = {
  name: "count_min_sketch",
  resolve(args) {
    if (args.length !== 4) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`count_min_sketch\` requires 4 parameters but the actual number is ${args.length}.`);
    const t = typeOf(args[0]!);
    if (!["byte", "short", "int", "long", "string", "binary", "null"].includes(t.kind)) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "count_min_sketch" due to data type mismatch: The first parameter requires the ("INTEGRAL" or "STRING" or "BINARY") type, however it has the type "${typeName(t).toUpperCase()}".`);
    }
    parameters({ args });
    return { args, dataType: BinaryType };
  },
  createAccumulator: (call: AggregateCall) => {
    const shape = shapeOf(...parameters(call));
    const empty = (): Sketch => ({ totalCount: 0, table: new Float64Array(shape.depth * shape.width) });
    return new RowAccumulator<Sketch>(BinaryType, {
      skipNullIn: [0],
      add: (buffer, [item]) => { const s = buffer ?? empty(); add(s, shape, item); return s; },
      merge: (a, b) => {
        for (let i = 0; i < a.table.length; i++) a.table[i]! += b.table[i]!;
        a.totalCount += b.totalCount;
        return a;
      },
      result: (buffer) => serialise(buffer ?? empty(), shape),
    });
  },
};
