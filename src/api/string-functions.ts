import { Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";

/**
 * Spark's string and binary functions of `org.apache.spark.sql.functions` added with the
 * SQL surface (split_part … to_binary); re-exported by functions.ts. A `Column | string`
 * argument is a column (a string names it); other arguments are literals unless Columns.
 */

import type { ColOrName } from "./functions.ts";
const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const lit = (v: unknown): Expression => (v instanceof Column ? v.expr : Literal.create(v, null));

export function split_part(str: ColOrName, delimiter: ColumnLike, partNum: ColumnLike): Column { return fn("split_part", colExpr(str), toExpr(delimiter), toExpr(partNum)); }
export function btrim(str: ColOrName, trim?: ColumnLike): Column { return fn("btrim", colExpr(str), ...(trim === undefined ? [] : [toExpr(trim)])); }
export function left(str: ColOrName, len: ColumnLike): Column { return fn("left", colExpr(str), toExpr(len)); }
export function right(str: ColOrName, len: ColumnLike): Column { return fn("right", colExpr(str), toExpr(len)); }
export function luhn_check(str: ColOrName): Column { return fn("luhn_check", colExpr(str)); }
export function format_string(format: string, ...args: ColOrName[]): Column { return fn("format_string", lit(format), ...args.map(colExpr)); }
export function printf(format: ColumnLike, ...args: ColOrName[]): Column { return fn("printf", toExpr(format), ...args.map(colExpr)); }
export function sentences(str: ColOrName, language?: ColumnLike, country?: ColumnLike): Column {
  return fn("sentences", colExpr(str), ...(language === undefined ? [] : [toExpr(language)]), ...(country === undefined ? [] : [toExpr(country)]));
}
export function soundex(str: ColOrName): Column { return fn("soundex", colExpr(str)); }
export function levenshtein(l: ColOrName, r: ColOrName, threshold?: number): Column {
  return fn("levenshtein", colExpr(l), colExpr(r), ...(threshold === undefined ? [] : [lit(threshold)]));
}
export function overlay(src: ColOrName, replace: ColumnLike, pos: ColumnLike, len?: ColumnLike): Column {
  return fn("overlay", colExpr(src), toExpr(replace), toExpr(pos), ...(len === undefined ? [] : [toExpr(len)]));
}
export function translate(src: ColOrName, matchingString: string, replaceString: string): Column { return fn("translate", colExpr(src), lit(matchingString), lit(replaceString)); }
export function elt(n: ColumnLike, ...inputs: ColOrName[]): Column { return fn("elt", toExpr(n), ...inputs.map(colExpr)); }
export function find_in_set(str: ColOrName, strArray: ColOrName): Column { return fn("find_in_set", colExpr(str), colExpr(strArray)); }
/** mask(input[, upperChar, lowerChar, digitChar, otherChar]); a null replacement keeps that class. */
export function mask(input: ColOrName, upperChar?: ColumnLike, lowerChar?: ColumnLike, digitChar?: ColumnLike, otherChar?: ColumnLike): Column {
  const rest = [upperChar, lowerChar, digitChar, otherChar];
  const given = rest.length - [...rest].reverse().findIndex((x) => x !== undefined);
  return fn("mask", colExpr(input), ...rest.slice(0, given > rest.length ? 0 : given).map((x) => toExpr(x ?? null)));
}
export function uuid(): Column { return fn("uuid"); }

// Hashes
export function hash(...cols: ColOrName[]): Column { return fn("hash", ...cols.map(colExpr)); }
export function xxhash64(...cols: ColOrName[]): Column { return fn("xxhash64", ...cols.map(colExpr)); }
export function md5(c: ColOrName): Column { return fn("md5", colExpr(c)); }
export function sha1(c: ColOrName): Column { return fn("sha1", colExpr(c)); }
export function sha2(c: ColOrName, numBits: number): Column { return fn("sha2", colExpr(c), lit(numBits)); }
export function crc32(c: ColOrName): Column { return fn("crc32", colExpr(c)); }

// Binary
export function hex(c: ColOrName): Column { return fn("hex", colExpr(c)); }
export function unhex(c: ColOrName): Column { return fn("unhex", colExpr(c)); }
export function base64(c: ColOrName): Column { return fn("base64", colExpr(c)); }
export function unbase64(c: ColOrName): Column { return fn("unbase64", colExpr(c)); }
export function encode(value: ColOrName, charset: string): Column { return fn("encode", colExpr(value), lit(charset)); }
export function decode(value: ColOrName, charset: string): Column { return fn("decode", colExpr(value), lit(charset)); }
export function to_binary(c: ColOrName, format?: ColumnLike): Column { return fn("to_binary", colExpr(c), ...(format === undefined ? [] : [toExpr(format)])); }
export function try_to_binary(c: ColOrName, format?: ColumnLike): Column { return fn("try_to_binary", colExpr(c), ...(format === undefined ? [] : [toExpr(format)])); }

// Pattern matching
export function ilike(str: ColOrName, pattern: ColumnLike): Column { return fn("ilike", colExpr(str), toExpr(pattern)); }
export function regexp_like(str: ColOrName, regexp: ColumnLike): Column { return fn("regexp_like", colExpr(str), toExpr(regexp)); }
export const regexp = regexp_like;
export function rlike(str: ColOrName, regexp: ColumnLike): Column { return fn("rlike", colExpr(str), toExpr(regexp)); }
/** position(substr, str[, start]): Spark's `locate` with the arguments in SQL's order. */
export function position(substr: ColumnLike, str: ColOrName, start?: ColumnLike): Column {
  return fn("locate", toExpr(substr), colExpr(str), ...(start === undefined ? [] : [toExpr(start)]));
}

// Number formats (0 9 . D , G $ S MI PR): a string to a DECIMAL and back
export function to_number(e: ColOrName, format: ColumnLike): Column { return fn("to_number", colExpr(e), toExpr(format)); }
export function try_to_number(e: ColOrName, format: ColumnLike): Column { return fn("try_to_number", colExpr(e), toExpr(format)); }
export function to_char(e: ColOrName, format: ColumnLike): Column { return fn("to_char", colExpr(e), toExpr(format)); }
export function to_varchar(e: ColOrName, format: ColumnLike): Column { return fn("to_varchar", colExpr(e), toExpr(format)); }
