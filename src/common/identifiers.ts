/** Spark resolves column names case-insensitively by default (spark.sql.caseSensitive=false). */
export function sameName(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Backquotes a name for display when it is not a plain identifier. */
export function quoteIfNeeded(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : "`" + name.replace(/`/g, "``") + "`";
}

let counter = 0;
/** Process-unique ids for expressions (Spark's ExprId), used to tell same-named columns apart. */
export function nextId(): number {
  return ++counter;
}

/** Splits "a.b.`c.d`" into ["a", "b", "c.d"]. */
export function nameParts(name: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === "`") {
      if (quoted && name[i + 1] === "`") { cur += "`"; i++; } else quoted = !quoted;
    } else if (ch === "." && !quoted) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}
