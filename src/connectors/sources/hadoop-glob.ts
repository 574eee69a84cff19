import { ConnectorError } from "../../common/errors.ts";

/**
 * Hadoop's glob syntax, which Spark's file sources accept in any segment of a path:
 * `*` (any run of characters but `/`), `?` (one character), `[abc]`, `[a-z]`, `[^a]` (or
 * `[!a]`), `{a,b}` (alternatives, nested, may hold `/`), and `\` escaping the next character.
 */

/** Spark's isGlobPath: a path with any of these characters is a pattern. */
export function isGlobPattern(text: string): boolean {
  return /[{}[\]*?\\]/.test(text);
}

/**
 * The patterns without braces: `logs/{a,b/c}/*.json` → `logs/a/*.json`, `logs/b/c/*.json`
 * (Hadoop's GlobExpander; alternatives may span segments). Escaped braces stay.
 */
export function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, "{", 0);
  if (open < 0) return [pattern];
  let depth = 0;
  const cuts: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") { i++; continue; }
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) { close = i; break; }
    } else if (ch === "," && depth === 1) cuts.push(i);
  }
  if (close < 0) throw new ConnectorError(`Illegal file pattern: Unclosed group near index ${pattern.length} in ${pattern}`);
  const bounds = [open, ...cuts, close];
  const head = pattern.slice(0, open), tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (const expanded of expandBraces(head + pattern.slice(bounds[k]! + 1, bounds[k + 1]!) + tail)) {
      if (!out.includes(expanded)) out.push(expanded);
    }
  }
  return out;
}

function findUnescaped(text: string, ch: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === ch) return i;
  }
  return -1;
}

/** A segment without glob characters as the literal name it stands for (`\` escapes removed). */
export function unescapeGlob(segment: string): string {
  return segment.replace(/\\(.)/g, "$1");
}

/**
 * One path segment's glob (no `/`; braces allowed) as a regular expression over a whole
 * name. A malformed class is refused with Hadoop's words rather than matching nothing.
 */
export function globSegmentRegExp(pattern: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      if (i + 1 >= pattern.length) throw new ConnectorError(`Illegal file pattern: Missing escaped character near index ${i} in ${pattern}`);
      re += escapeRegExp(pattern[++i]!);
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "{") { re += "(?:"; braces++; }
    else if (ch === "}" && braces > 0) { re += ")"; braces--; }
    else if (ch === "," && braces > 0) re += "|";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) throw new ConnectorError(`Illegal file pattern: Unclosed character class near index ${pattern.length} in ${pattern}`);
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith("^") || body.startsWith("!");
      if (negated) body = body.slice(1);
      re += `[${negated ? "^" : ""}${body.replace(/[\\\]^[]/g, (c) => (c === "\\" ? "\\\\" : `\\${c}`))}]`;
      i = end;
    } else re += escapeRegExp(ch);
  }
  if (braces > 0) throw new ConnectorError(`Illegal file pattern: Unclosed group near index ${pattern.length} in ${pattern}`);
  return new RegExp(`^${re}$`, "s");
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** An absolute pattern as per-segment matchers: a literal name, or a regular expression. */
export type SegmentMatcher = { readonly literal: string } | { readonly glob: RegExp; readonly hiddenPrefix: string };

export function segmentMatchers(absolutePattern: string): SegmentMatcher[] {
  return absolutePattern.split("/").filter((s) => s !== "").map((s) => {
    if (!(isGlobPattern(s) && /[*?[{]/.test(s))) return { literal: unescapeGlob(s) };
    return { glob: globSegmentRegExp(s), hiddenPrefix: s.startsWith("_") || s.startsWith(".") ? s[0]! : "" };
  });
}

export function segmentMatches(matcher: SegmentMatcher, name: string): boolean {
  return "literal" in matcher ? matcher.literal === name : matcher.glob.test(name);
}
