import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { BinaryType, LongType, StringType, isNumeric } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { Literal, type Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** Binary values: hex/unhex, base64/unbase64, encode/decode, to_binary/try_to_binary. */

const B = BinaryType, S = StringType;

export function hexOfBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex").toUpperCase();
}

/** Hex digits → bytes; an odd count has an implicit leading 0; null for a non-hex digit. */
export function bytesOfHex(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]*$/.test(s)) return null;
  return new Uint8Array(Buffer.from(s.length % 2 === 1 ? `0${s}` : s, "hex"));
}

const utf8 = new TextEncoder();

/** hex(bigint | binary | string): a long as Java's Long.toHexString (two's complement), bytes two digits each. */
const hex: ScalarFunction = {
  name: "hex",
  resolve(args) {
    checkArity("hex", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind === "binary" || t.kind === "string") return { args, dataType: S };
    if (isNumeric(t) && t.kind !== "double" || t.kind === "null") return { args: [coerceArg("hex", args, 0, LongType)], dataType: S };
    throw typeMismatch("hex", args, 0, "bigint or binary or string");
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, S, ([v]) => {
    const t = call.args[0]!.dataType!;
    if (t.kind === "binary") return hexOfBytes(v as Uint8Array);
    if (t.kind === "string") return hexOfBytes(utf8.encode(v as string));
    return BigInt.asUintN(64, BigInt(v as number | bigint)).toString(16).toUpperCase();
  }),
};

/** The charsets Spark's encode/decode accept. */
const CHARSETS: Record<string, BufferEncoding | "utf-16be" | "utf-16"> = {
  "us-ascii": "ascii", "iso-8859-1": "latin1", "utf-8": "utf8", "utf-16be": "utf-16be", "utf-16le": "utf16le", "utf-16": "utf-16",
};

function charsetOf(fn: string, name: string): BufferEncoding | "utf-16be" | "utf-16" {
  const c = CHARSETS[name.toLowerCase()];
  if (c === undefined) {
    throw new ExecutionError(
      `[INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) \`charset\` in \`${fn}\` is invalid: ` +
      `expects one of the charsets 'US-ASCII', 'ISO-8859-1', 'UTF-8', 'UTF-16BE', 'UTF-16LE', 'UTF-16', but got ${name}.`,
    );
  }
  return c;
}

function swap16(b: Buffer): Buffer {
  const c = Buffer.from(b);
  return c.length % 2 === 0 ? c.swap16() : c;
}

export function encodeString(s: string, charset: string): Uint8Array {
  const c = charsetOf("encode", charset);
  // Java's UTF-16 writes big-endian with a byte-order mark.
  if (c === "utf-16be") return new Uint8Array(swap16(Buffer.from(s, "utf16le")));
  if (c === "utf-16") return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from(s, "utf16le"))]));
  if (c === "ascii") return new Uint8Array(Buffer.from(s.replace(/[^\x00-\x7f]/gu, "?"), "latin1"));
  if (c === "latin1") return new Uint8Array(Buffer.from(s.replace(/[^\x00-\xff]/gu, "?"), "latin1"));
  return new Uint8Array(Buffer.from(s, c));
}

export function decodeBytes(b: Uint8Array, charset: string): string {
  const c = charsetOf("decode", charset);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (c === "utf-16be") return swap16(buf).toString("utf16le");
  if (c === "utf-16") {
    if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString("utf16le");
    return swap16(buf[0] === 0xfe && buf[1] === 0xff ? buf.subarray(2) : buf).toString("utf16le");
  }
  if (c === "ascii") return new TextDecoder("ascii").decode(b).replace(/[\x80-\uffff]/g, "\ufffd");
  return new TextDecoder(c === "latin1" ? "latin1" : "utf-8").decode(b);
}

/** to_binary(str[, fmt]): fmt 'hex' (default), 'utf-8'/'utf8' or 'base64', case-insensitive. */
function toBinary(name: "to_binary" | "try_to_binary"): ScalarFunction {
  const convert = (s: string, fmt: string): Uint8Array | null => {
    const f = fmt.toLowerCase();
    let out: Uint8Array | null;
    if (f === "hex") out = bytesOfHex(s);
    else if (f === "utf-8" || f === "utf8") out = utf8.encode(s);
    else if (f === "base64") out = /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(s) ? new Uint8Array(Buffer.from(s, "base64")) : null;
    // Spark 3.5's try_to_binary is null for a format it does not know (ToBinary's nullOnInvalidFormat).
    else if (name === "try_to_binary") return null;
    else {
      throw new AnalysisError(
        `[INVALID_PARAMETER_VALUE.BINARY_FORMAT] The value of parameter(s) \`format\` in \`${name}\` is invalid: ` +
        `expects one of binary formats 'base64', 'hex', 'utf-8', but got '${fmt}'.`,
      );
    }
    if (out === null && name === "to_binary") {
      throw new ExecutionError(
        `[CONVERSION_INVALID_INPUT] The value '${s}' (STRING) cannot be converted to BINARY because it is malformed. ` +
        "Correct the value as per the syntax, or change its format. Use 'try_to_binary' to tolerate malformed input and return NULL instead.",
      );
    }
    return out;
  };
  return {
    ...defineFunction({ name, types: [S, S], defaults: ["hex"], result: B, f: (s: string, [fmt]) => convert(s, fmt as string) }),
    resolve(args: readonly Expression[]) {
      checkArity(name, args, 1, 2);
      const fmt = args[1];
      if (fmt !== undefined && fmt.kind === "Literal" && typeof fmt.value === "string") convert("", fmt.value);
      const full = fmt === undefined ? [args[0]!, Literal.create("hex", S)] : args;
      return { args: full.map((_, k) => coerceArg(name, full, k, S)), dataType: B };
    },
  };
}

export const binaryFunctions: ScalarFunction[] = [
  hex,
  defineFunction({ name: "unhex", types: [S], result: B, f: (s: string) => bytesOfHex(s) }),
  defineFunction({ name: "base64", types: [B], result: S, f: (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64") }),
  defineFunction({ name: "unbase64", types: [S], result: B, f: (s: string) => new Uint8Array(Buffer.from(s, "base64")) }),
  defineFunction({ name: "encode", types: [S, S], result: B, f: (s: string, [c]) => encodeString(s, c as string) }),
  defineFunction({ name: "decode", types: [B, S], result: S, f: (b: Uint8Array, [c]) => decodeBytes(b, c as string) }),
  toBinary("to_binary"),
  toBinary("try_to_binary"),
];
