import { ExecutionError } from "../../common/errors.ts";

// ---------- Java regular expressions (Spark's regex functions use java.util.regex) ----------

const POSIX_CLASSES: Record<string, string> = {
  Lower: "a-z", Upper: "A-Z", ASCII: "\\x00-\\x7F", Alpha: "a-zA-Z", Digit: "0-9", Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~", Graph: "!-~", Print: " -~", Blank: " \\t", Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F", Space: " \\t\\n\\x0B\\f\\r",
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Translates a Java regex to a JS RegExp: leading inline flags `(?i)`, `\Q…\E` quoting,
 * `\A` `\z` `\Z`, POSIX classes `\p{Alpha}`, possessive quantifiers and atomic groups
 * (matched greedily, which accepts the same strings in the common cases).
 */
export function javaRegExp(pattern: string): RegExp {
  let src = pattern;
  let flags = "g";
  const inline = /^\(\?([imsdu]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) if ("ims".includes(f) && !flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  let out = "";
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const d = src[i + 1] ?? "";
      i++;
      afterQuantifier = false;
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 1);
        out += escapeRegExp(end < 0 ? src.slice(i + 1) : src.slice(i + 1, end));
        i = end < 0 ? src.length : end + 1;
      } else if ((d === "p" || d === "P") && src[i + 1] === "{") {
        const end = src.indexOf("}", i);
        const name = src.slice(i + 2, end).replace(/^Is/, "");
        const cls = POSIX_CLASSES[name];
        if (cls === undefined) throw new SyntaxError(`unsupported character class \\${d}{${name}}`);
        out += inClass ? (d === "p" ? cls : (() => { throw new SyntaxError(`\\P{${name}} inside a character class is not supported`); })()) : `[${d === "P" ? "^" : ""}${cls}]`;
        i = end;
      } else if (!inClass && d === "A") out += "(?<![\\s\\S])";
      else if (!inClass && d === "z") out += "(?![\\s\\S])";
      else if (!inClass && d === "Z") out += "(?=\\n?(?![\\s\\S]))";
      else out += c + d;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") { out += "\\]"; i++; }
      afterQuantifier = false;
      continue;
    }
    if (c === "+" && afterQuantifier) { afterQuantifier = false; continue; }
    if (c === "(" && src[i + 1] === "?" && src[i + 2] === ">") { out += "(?:"; i += 2; continue; }
    out += c;
    afterQuantifier = c === "*" || c === "+" || c === "?" || c === "}";
  }
  return new RegExp(out, flags);
}

/** Replaces every match in a string. */
export type Replacement = (s: string) => string;

/** Compiles a Java replacement string (`$1`, `${name}`, `\$` for a literal `$`) for `re`. */
export function javaReplacement(rep: string, re: RegExp): Replacement {
  const groups = groupCount(re);
  const parts: (string | number)[] = [];
  let lit = "";
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "\\") {
      if (i + 1 >= rep.length) throw new ExecutionError(`regexp_replace: character to be escaped is missing in '${rep}'`);
      lit += rep[++i];
    } else if (c === "$") {
      if (rep[i + 1] === "{") {
        const end = rep.indexOf("}", i);
        if (end < 0) throw new ExecutionError(`regexp_replace: named capturing group is missing trailing '}' in '${rep}'`);
        parts.push(lit); lit = "";
        parts.push(rep.slice(i + 2, end));
        i = end;
        continue;
      }
      let g = rep.charCodeAt(i + 1) - 48;
      if (!(g >= 0 && g <= 9)) throw new ExecutionError(`regexp_replace: illegal group reference in '${rep}'`);
      if (g > groups) throw new ExecutionError(`regexp_replace: no group ${g} in '${re.source}'`);
      i++;
      // Java takes further digits while the group number stays valid.
      while (i + 1 < rep.length) {
        const d = rep.charCodeAt(i + 1) - 48;
        if (!(d >= 0 && d <= 9) || g * 10 + d > groups) break;
        g = g * 10 + d;
        i++;
      }
      parts.push(lit); lit = "";
      parts.push(g);
    } else lit += c;
  }
  parts.push(lit);
  return (s) => {
    re.lastIndex = 0;
    return s.replace(re, (...m: unknown[]) => {
      const named = typeof m[m.length - 1] === "object" ? (m[m.length - 1] as Record<string, string | undefined> | undefined) : undefined;
      let out = "";
      parts.forEach((p, k) => {
        if (k % 2 === 0) out += p as string;
        else if (typeof p === "number") out += (m[p] as string | undefined) ?? "";
        else {
          if (named === undefined || !(p in named)) throw new ExecutionError(`regexp_replace: no group with name {${p}}`);
          out += named[p] ?? "";
        }
      });
      return out;
    });
  };
}

/** Java's Pattern.split with Spark's limit handling (limit ≤ 0: unlimited, trailing empty strings kept). */
export function javaSplit(s: string, re: RegExp, emptyPattern: boolean, limit: number): string[] {
  if (emptyPattern && s !== "") {
    // Spark splits into characters, ignoring the trailing empty string.
    const cps = Array.from(s);
    const n = limit > cps.length || limit <= 0 ? cps.length : limit;
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join("")];
  }
  const out: string[] = [];
  let index = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const start = m.index, end = start + m[0].length;
    if (end === start) re.lastIndex++;
    if (limit > 0 && out.length >= limit - 1) break;
    // A zero-width match at the beginning never yields a leading empty string.
    if (start === 0 && end === 0) continue;
    out.push(s.slice(index, start));
    index = end;
  }
  if (index === 0 && out.length === 0) return [s];
  out.push(s.slice(index));
  return out;
}

// ---------- the functions ----------

/** Number of capturing groups of a regex. */
const groupCounts = new WeakMap<RegExp, number>();
export function groupCount(re: RegExp): number {
  let n = groupCounts.get(re);
  if (n === undefined) {
    n = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("")!.length - 1;
    groupCounts.set(re, n);
  }
  return n;
}
