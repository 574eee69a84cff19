/**
 * Spark's pattern for listTables, listDatabases, listFunctions and SHOW … LIKE: `*` for any
 * characters, `|` between alternatives, case-insensitive, the whole name matched.
 */
export function namePattern(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const alternatives = pattern.trim().split("|")
    .map((p) => new RegExp(`^${p.trim().replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i"));
  return (name) => alternatives.some((re) => re.test(name));
}
