import { ConnectorError } from "../../common/errors.ts";
import { redactUrl } from "../../common/redact-secrets.ts";

// Shown-safe URLs and texts live in common/ (JDBC, the buses and the UI all redact).
export { redactSecrets, redactUrl } from "../../common/redact-secrets.ts";

export type DialectName = "mysql" | "postgresql" | "sqlite";

/** Where a JDBC URL points, with the credentials taken out of it. */
export interface JdbcTarget {
  readonly dialect: DialectName;
  /** The URL with its password replaced by `***`: the only form that may be shown. */
  readonly redacted: string;
  /** Server dialects. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | null;
  readonly password: string | null;
  /** Other query parameters (`?ssl=true&…`), names lower-cased. */
  readonly params: Readonly<Record<string, string>>;
  /** SQLite: the database file (or ":memory:"). */
  readonly file: string;
}

const DEFAULT_PORTS: Record<Exclude<DialectName, "sqlite">, number> = { mysql: 3306, postgresql: 5432 };
const SCHEMES: Record<string, DialectName> = { mysql: "mysql", mariadb: "mysql", postgresql: "postgresql", postgres: "postgresql", sqlite: "sqlite" };
const SECRET_PARAMS = new Set(["password", "pwd", "pass", "passwd", "sslpassword"]);

/**
 * Parses the JDBC URLs users already have: `jdbc:mysql://host:port/db?user=…&password=…`
 * (also `jdbc:mariadb://`, `mysql://user:pw@host/db`), `jdbc:postgresql://host:port/db?…`
 * and `jdbc:sqlite:path.db`. `user` / `password` options win over the URL's.
 */
export function parseJdbcUrl(url: string, credentials: { user?: string | undefined; password?: string | undefined } = {}): JdbcTarget {
  const redacted = redactUrl(url);
  const body = url.trim().replace(/^jdbc:/i, "");
  const scheme = /^([a-z0-9]+):/i.exec(body)?.[1]?.toLowerCase();
  const dialect = scheme === undefined ? undefined : SCHEMES[scheme];
  if (dialect === undefined) {
    throw new ConnectorError(`unsupported JDBC URL '${redacted}': expected jdbc:mysql://, jdbc:mariadb://, jdbc:postgresql:// or jdbc:sqlite:`);
  }
  if (dialect === "sqlite") {
    const rest = body.slice(scheme!.length + 1).replace(/^\/\/(?=\/)/, "");
    const [path = "", query = ""] = rest.split("?", 2);
    if (path === "") throw new ConnectorError(`JDBC URL '${redacted}' names no database file: use jdbc:sqlite:path/to/file.db`);
    return { dialect, redacted, host: "", port: 0, database: path, user: null, password: null, params: parseQuery(query), file: path };
  }
  let parsed: URL;
  try {
    parsed = new URL(body.replace(/^[a-z0-9]+:/i, "http:"));
  } catch (error) {
    throw new ConnectorError(`malformed JDBC URL '${redacted}': expected jdbc:${scheme}://host[:port]/database[?user=…&password=…]`, { cause: error });
  }
  const params = parseQuery(parsed.search.slice(1));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database === "") throw new ConnectorError(`JDBC URL '${redacted}' names no database: use jdbc:${scheme}://host[:port]/database`);
  const user = credentials.user ?? (parsed.username !== "" ? decodeURIComponent(parsed.username) : undefined) ?? params.user ?? null;
  const password = credentials.password ?? (parsed.password !== "" ? decodeURIComponent(parsed.password) : undefined) ?? params.password ?? null;
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k !== "user" && !SECRET_PARAMS.has(k)) rest[k] = v;
  return {
    dialect, redacted, host: parsed.hostname || "127.0.0.1", port: parsed.port === "" ? DEFAULT_PORTS[dialect] : Number(parsed.port),
    database, user, password, params: rest, file: "",
  };
}

function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of query.split(/[&;]/)) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    out[key] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
  }
  return out;
}
