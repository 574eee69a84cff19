import { ExecutionError } from "../../common/errors.ts";

// ---------- Java regular expressions (Spark's regex functions use java.util.regex) ----------

const POSIX_CLASSES: Record<string, string> = {
  Lower: "a-z", Upper: "A-Z", ASCII: "\\x00-\\x7F", Alpha: "a-zA-Z", Digit: "0-9", Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~", Graph: "!-~", Print: " -~", Blank: " \\t", Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F", Space: " \\t\\n\\x0B\\f\\r",
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Java's `\p{javaLowerCase}` … classes as JS Unicode property classes. */
const JAVA_CLASSES: Record<string, string> = {
  javaLowerCase: "\\p{Lowercase}", javaUpperCase: "\\p{Uppercase}", javaAlphabetic: "\\p{Alphabetic}", javaLetter: "\\p{L}",
  javaDigit: "\\p{Nd}", javaLetterOrDigit: "\\p{L}\\p{Nd}", javaWhitespace: "\\t-\\r\\x1C-\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000",
};

/** Escapes a JS `u`-mode regex accepts after a backslash (identity escapes are only these). */
const SYNTAX_CHARS = "^$\\.*+?()[]{}|/";

/**
 * The body of a `\p{name}` class, to go inside `[…]`: a POSIX class (ASCII, as Java's
 * without UNICODE_CHARACTER_CLASS), a java.lang.Character class, or a Unicode category,
 * script or binary property (`L`, `IsL`, `IsLatin`, `IsAlphabetic`).
 */
function propertyClass(name: string): string {
  const posix = POSIX_CLASSES[name] ?? JAVA_CLASSES[name];
  if (posix !== undefined) return posix;
  const bare = name.replace(/^Is/, "");
  for (const form of [bare, `Script=${bare}`]) {
    try {
      new RegExp(`\\p{${form}}`, "u");
      return `\\p{${form}}`;
    } catch { /* not this form */ }
  }
  throw new SyntaxError(`Unknown character property name {${name}}`);
}

/**
 * Translates a Java regex to a JS RegExp in `u` mode (so `.` and classes take whole code
 * points, as Java's): leading inline flags `(?i)`, `\Q…\E` quoting, `\A` `\z` `\Z`, `\p{…}`
 * classes (POSIX, Unicode), Java's identity escapes, a literal `]` or `}`, possessive
 * quantifiers and atomic groups (matched greedily, which accepts the same strings in the
 * common cases). A pattern Java refuses throws a SyntaxError.
 */
export function javaRegExp(pattern: string): RegExp {
  let src = pattern;
  let flags = "gu";
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
      if (d === "") throw new SyntaxError("Unexpected internal error near index " + i);
      i++;
      afterQuantifier = false;
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 1);
        const quoted = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += inClass ? quoted.replace(/[\\\]\[^-]/g, "\\$&") : escapeRegExp(quoted);
        i = end < 0 ? src.length : end + 1;
      } else if ((d === "p" || d === "P") && src[i + 1] === "{") {
        const end = src.indexOf("}", i);
        if (end < 0) throw new SyntaxError(`Unclosed character family near index ${i}`);
        const name = src.slice(i + 2, end);
        const cls = propertyClass(name);
        if (inClass && d === "P") {
          if (!cls.startsWith("\\p{") || cls.indexOf("\\p{", 1) >= 0) throw new SyntaxError(`\\P{${name}} inside a character class is not supported`);
          out += "\\P" + cls.slice(2);
        } else out += inClass ? cls : `[${d === "P" ? "^" : ""}${cls}]`;
        i = end;
      } else if ((d === "p" || d === "P") && /[A-Za-z]/.test(src[i + 1] ?? "")) {
        // \pL: a one-letter category.
        const cls = propertyClass(src[i + 1]!);
        out += inClass ? cls : `[${d === "P" ? "^" : ""}${cls}]`;
        i++;
      } else if (!inClass && d === "A") out += "(?<![\\s\\S])";
      else if (!inClass && d === "z") out += "(?![\\s\\S])";
      else if (!inClass && d === "Z") out += "(?=\\n?(?![\\s\\S]))";
      else if (d === "h") out += inClass ? "\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000" : "[\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000]";
      else if (d === "e") out += "\\x1B";
      else if (d === "a") out += "\\x07";
      else if (/[0-9A-Za-z]/.test(d) || SYNTAX_CHARS.includes(d) || (inClass && d === "-")) out += c + d;
      // Java escapes any other non-letter to itself; JS u mode only the syntax characters.
      else out += `\\u{${d.codePointAt(0)!.toString(16)}}`;
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
    if (c === "{") {
      // A repetition {n}, {n,}, {n,m}; Java refuses any other '{' ("Illegal repetition").
      const rep = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
      if (rep === null) throw new SyntaxError(`Illegal repetition near index ${i}`);
      out += rep[0];
      i += rep[0].length - 1;
      afterQuantifier = true;
      continue;
    }
    // Java reads a lone ']' or '}' as itself; JS u mode refuses them.
    if (c === "]" || c === "}") { out += "\\" + c; afterQuantifier = false; continue; }
    out += c;
    afterQuantifier = c === "*" || c === "+" || c === "?";
  }
  return new RegExp(out, flags);
}

/** Spark's error for a pattern java.util.regex refuses. */
export function invalidPatternMessage(fn: string, pattern: string): string {
  return `[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`regexp\` in \`${fn}\` is invalid: '${pattern}'.`;
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
