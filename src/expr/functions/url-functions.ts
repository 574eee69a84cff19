import { ExecutionError } from "../../common/errors.ts";
import { StringType } from "../../types/data-types.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** url_encode, url_decode (java.net.URLEncoder/URLDecoder, UTF-8) and parse_url (java.net.URI's parts). */

const utf8 = new TextEncoder();
const FORM_SAFE = /[A-Za-z0-9.\-*_]/;

/** URLEncoder.encode(s, UTF-8): form encoding, space as '+'. */
export function urlEncode(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === " ") out += "+";
    else if (FORM_SAFE.test(ch)) out += ch;
    else for (const b of utf8.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** URLDecoder.decode(s, UTF-8); a malformed escape is Spark's CANNOT_DECODE_URL. */
export function urlDecode(s: string): string {
  const bytes: number[] = [];
  let out = "";
  const flush = (): void => {
    if (bytes.length > 0) out += new TextDecoder().decode(Uint8Array.from(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new ExecutionError(`[CANNOT_DECODE_URL] The provided URL cannot be decoded: ${s}. Please ensure that the URL is properly formatted and try again.`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += c === "+" ? " " : c;
    }
  }
  flush();
  return out;
}

// RFC 3986's generic syntax, as java.net.URI splits it: scheme, authority, path, query, fragment.
const URI = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
// Characters java.net.URI rejects unescaped (so Spark's parse_url gives null).
const ILLEGAL = /[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})/;

/** parse_url(url, part[, key]): HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY, USERINFO; null for an invalid URL or unknown part. */
export function parseUrl(url: string, part: string, key?: string): string | null {
  if (ILLEGAL.test(url)) return null;
  const m = URI.exec(url);
  if (m === null) return null;
  const [, scheme, authority, path, query, fragment] = m;
  const userInfo = authority?.includes("@") ? authority.slice(0, authority.lastIndexOf("@")) : undefined;
  const hostPort = authority === undefined ? undefined : authority.slice(authority.lastIndexOf("@") + 1);
  const host = hostPort === undefined ? undefined : /^(\[[^\]]*\]|[^:]*)/.exec(hostPort)![1];
  if (key !== undefined) {
    if (part !== "QUERY" || query === undefined) return null;
    const kv = new RegExp(`(?:&|^)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}=([^&]*)`).exec(query);
    return kv === null ? null : kv[1]!;
  }
  switch (part) {
    case "HOST": return host === undefined || host === "" ? null : host;
    case "PATH": return scheme !== undefined && authority === undefined && !path!.startsWith("/") ? null : path!;
    case "QUERY": return query ?? null;
    case "REF": return fragment ?? null;
    case "PROTOCOL": return scheme ?? null;
    case "FILE": return query === undefined ? path! : `${path!}?${query}`;
    case "AUTHORITY": return authority ?? null;
    case "USERINFO": return userInfo ?? null;
    default: return null;
  }
}

export const urlFunctions: ScalarFunction[] = [
  defineFunction({ name: "url_encode", types: [StringType], result: StringType, f: urlEncode }),
  defineFunction({ name: "url_decode", types: [StringType], result: StringType, f: urlDecode }),
  {
    name: "parse_url",
    resolve(args) {
      checkArity("parse_url", args, 2, 3);
      return { args: args.map((_, k) => coerceArg("parse_url", args, k, StringType)), dataType: StringType };
    },
    evaluate: (vecs, n) => mapRows(vecs, n, StringType, ([u, p, k]) => parseUrl(u as string, p as string, k as string | undefined)),
  },
];
