import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createConnection, type Connection } from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { Session } from "../../../src/index.ts";
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

/**
 * A test file's MariaDB and PostgreSQL connections (open from its beforeAll) and the tables it
 * names with `table(prefix)`: after its tests, the session's streams stop, those tables are
 * dropped from both databases, the connections close and the temp dirs go.
 */
export function bothDatabases(spark: Session): { my: Connection; pgc: pg.Client; table(prefix: string): string } {
  const tables: string[] = [];
  const db = {
    my: undefined as unknown as Connection,
    pgc: undefined as unknown as pg.Client,
    table(prefix: string): string {
      const t = uniqueTable(prefix);
      tables.push(t);
      return t;
    },
  };
  beforeAll(async () => {
    db.my = await mysqlConnection();
    db.pgc = await pgClient();
  });
  afterAll(async () => {
    await spark.streams.stopAll();
    for (const t of tables) {
      await db.my.query(`DROP TABLE IF EXISTS \`${t}\``);
      await db.pgc.query(`DROP TABLE IF EXISTS "${t}"`);
    }
    await db.my.end();
    await db.pgc.end();
    await removeTempDirs();
  });
  return db;
}
