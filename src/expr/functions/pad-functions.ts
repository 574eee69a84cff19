import { BinaryType, IntegerType, StringType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { Literal, type Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, stringKernel } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { codePointLength } from "./string-functions.ts";

/**
 * lpad/rpad. As Spark's PadExpressionBuilder: a binary input (with a binary pad, or none)
 * pads bytes, by default with 0x00 (`lpad(unhex('aabb'), 5)` is 000000AABB); anything else
 * pads characters, by default with a space.
 */

function padString(s: string, len: number, padding: string, left: boolean): string {
  const chars = Array.from(s);
  const missing = len - codePointLength(s);
  if (missing <= 0 || padding === "") return chars.slice(0, Math.max(len, 0)).join("");
  const padChars = Array.from(padding);
  let fill = "";
  for (let i = 0; i < missing; i++) fill += padChars[i % padChars.length];
  return left ? fill + s : s + fill;
}

/** ByteArray.lpad/rpad: the input cut to `len` bytes, the rest filled by repeating `pad`. */
function padBytes(bytes: Uint8Array, len: number, pad: Uint8Array, left: boolean): Uint8Array {
  if (len <= 0) return new Uint8Array(0);
  const kept = Math.min(len, bytes.length);
  if (pad.length === 0) return bytes.slice(0, kept);
  const out = new Uint8Array(len);
  const fillFrom = left ? 0 : kept;
  out.set(bytes.subarray(0, kept), left ? len - kept : 0);
  for (let i = 0; i < len - kept; i++) out[fillFrom + i] = pad[i % pad.length]!;
  return out;
}

function padFunction(name: "lpad" | "rpad"): ScalarFunction {
  const left = name === "lpad";
  return {
    name,
    resolve(args: readonly Expression[]) {
      checkArity(name, args, 2, 3);
      const binary = typeOf(args[0]!).kind === "binary" && (args.length === 2 || typeOf(args[2]!).kind === "binary");
      const full = args.length === 3 ? args : [...args, binary ? Literal.create(new Uint8Array([0]), BinaryType) : Literal.create(" ", StringType)];
      const type = binary ? BinaryType : StringType;
      return { args: [coerceArg(name, full, 0, type), coerceArg(name, full, 1, IntegerType), coerceArg(name, full, 2, type)], dataType: type };
    },
    evaluate(vecs, n, _ctx, call) {
      if (call.dataType!.kind === "binary") {
        return mapRows(vecs, n, BinaryType, ([b, len, p]) => padBytes(b as Uint8Array, len as number, p as Uint8Array, left));
      }
      return stringKernel(vecs, n, call, (s, [len, p]) => padString(s, len as number, p as string, left));
    },
  };
}

export const padFunctions: ScalarFunction[] = [padFunction("lpad"), padFunction("rpad")];
