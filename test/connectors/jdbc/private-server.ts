import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { freePort } from "../server-process.ts";

/**
 * A real database server of the test's own (own data directory, port and socket), which
 * the test may stop and start again: the shared servers on 3306 and 5432 are never
 * touched. `stop()` is a clean shutdown (SIGTERM, `pg_ctl stop -m fast`); `start()` brings
 * the server back on the same port and data, and resolves once it takes connections.
 */
export interface PrivateServer {
  /** A JDBC URL of the database `test` on it. */
  readonly url: string;
  readonly port: number;
  query(sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

async function until(what: string, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`private server: ${what} did not happen within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs a command to its end without blocking the event loop (the query under test keeps running). */
async function run(command: string, args: string[], what: string): Promise<void> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => { output += String(d); });
  child.stderr!.on("data", (d) => { output += String(d); });
  const code = await new Promise<number | null>((resolve, reject) => { child.once("error", reject); child.once("exit", resolve); });
  if (code !== 0) throw new Error(`private server: ${what} failed (${command} ${args.join(" ")}, exit ${code}): ${output}`);
}

/** A private MariaDB (root without password over TCP), made with mariadb-install-db. */
export async function privateMariaDb(): Promise<PrivateServer> {
  const dir = await mkdtemp(join(tmpdir(), "rivulet-private-mariadb-"));
  const data = join(dir, "data");
  const port = await freePort();
  // Its own temp directory: bootstraps running side by side (or the shared server) must not meet in /tmp's `#sql-temptable-*` files.
  const tmp = join(dir, "tmp");
  await mkdir(tmp);
  await run("mariadb-install-db", ["--no-defaults", `--datadir=${data}`, `--tmpdir=${tmp}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"], "mariadb-install-db");
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const query = async (sql: string, database?: string): Promise<Record<string, unknown>[]> => {
    const conn = await createConnection({ host: "127.0.0.1", port, user: "root", database, dateStrings: true, decimalNumbers: true, connectTimeout: 2000 });
    try {
      const [rows] = await conn.query(sql);
      return rows as Record<string, unknown>[];
    } finally {
      await conn.end();
    }
  };
  const start = async (): Promise<void> => {
    const server = spawn("/usr/sbin/mariadbd", [
      "--no-defaults", `--datadir=${data}`, `--tmpdir=${tmp}`, `--port=${port}`, `--socket=${join(dir, "sock")}`, `--pid-file=${join(dir, "pid")}`,
      "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin", "--skip-name-resolve", "--innodb-buffer-pool-size=16M",
    ], { stdio: "ignore" });
    child = server;
    exited = new Promise((resolve) => server.once("exit", () => resolve()));
    await until(`MariaDB on port ${port} accepting connections`, async () => (await query("SELECT 1")).length === 1);
  };
  const stop = async (): Promise<void> => {
    if (child === null) return;
    child.kill("SIGTERM");
    await exited;
    child = null;
  };
  await start();
  await query("CREATE DATABASE IF NOT EXISTS test");
  return {
    url: `jdbc:mysql://127.0.0.1:${port}/test?user=root`, port, start, stop,
    query: (sql) => query(sql, "test"),
    destroy: async () => { await stop(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** The newest installed PostgreSQL's programs (Debian puts each version under /usr/lib/postgresql/<n>). */
function postgresBin(): string {
  const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("private server: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)");
  return join("/usr/lib/postgresql", versions[0]!, "bin");
}

/**
 * A private PostgreSQL cluster (user postgres, trust), made with initdb. PostgreSQL does
 * not run as root: when the test runs as root, the cluster is the `postgres` user's.
 */
export async function privatePostgres(): Promise<PrivateServer> {
  const bin = postgresBin();
  const dir = await mkdtemp(join(tmpdir(), "rivulet-private-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    await chown(dir, uid, gid);
  }
  const pgRun = (tool: string, args: string[]): Promise<void> => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], tool) : run(join(bin, tool), args, tool));
  await pgRun("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const query = async (sql: string, database = "test"): Promise<Record<string, unknown>[]> => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database, connectionTimeoutMillis: 2000 });
    client.on("error", () => {});
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  let running = false;
  const start = async (): Promise<void> => {
    await pgRun("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-l", join(dir, "server.log"), "-w", "start"]);
    running = true;
    await until(`PostgreSQL on port ${port} accepting connections`, async () => (await query("SELECT 1", "postgres")).length === 1);
  };
  const stop = async (): Promise<void> => {
    if (!running) return;
    await pgRun("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    running = false;
  };
  await start();
  await query("CREATE DATABASE test", "postgres");
  return {
    url: `jdbc:postgresql://127.0.0.1:${port}/test?user=postgres`, port, start, stop,
    query: (sql) => query(sql),
    destroy: async () => { await stop(); await rm(dir, { recursive: true, force: true }); },
  };
}
