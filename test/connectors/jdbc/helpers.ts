import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createConnection, type Connection } from "mysql2/promise";
import pg from "pg";
import { tempDirs } from "../../temp-dirs.ts";

/** The MariaDB and PostgreSQL servers CI starts (see .ci/run). */
export const MYSQL_URL = "jdbc:mysql://127.0.0.1:3306/test?user=root";
export const PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

let counter = 0;
/** A table name no other test (or test run) uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${process.pid}_${counter++}`;
}

export function mysqlConnection(user = "root", password?: string): Promise<Connection> {
  return createConnection({ host: "127.0.0.1", port: 3306, user, password, database: "test", dateStrings: true, decimalNumbers: true });
}

export async function mysqlRows(conn: Connection, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const [rows] = await conn.query(sql, params);
  return rows as Record<string, unknown>[];
}

export async function pgClient(): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test" });
  await client.connect();
  return client;
}

const dirs = tempDirs(undefined, { afterAll: false });

/** A new directory under the system's temp directory; `removeTempDirs` removes it. */
export const tempDir = (prefix: string): Promise<string> => dirs(`rivulet-jdbc-${prefix}-`);

/** Removes every directory `tempDir` made (call it in afterAll, once the queries using them have stopped). */
export const removeTempDirs: () => Promise<void> = dirs.remove;

/** Every file under `dir`, concatenated (to look for secrets in a checkpoint). */
export async function allText(dir: string): Promise<string> {
  let out = "";
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    out += (await stat(path)).isDirectory() ? await allText(path) : await readFile(path, "utf8");
  }
  return out;
}

export const ts = (minute: number, hour = 10): string => `2026-01-01T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`;
