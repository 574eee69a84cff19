import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDirs } from "../temp-dirs.ts";
import { unexportedPublicTypes } from "./public-types.ts";

// rivulet as a user gets it: `npm pack` (which builds dist/ through prepack), the tarball
// installed into a new project outside the repository, then used there with plain node,
// the TypeScript compiler and the installed command. Nothing here loads tsx or src/.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSUMER = fileURLToPath(new URL("./consumer/", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const MINUTE = 60_000;

const dirs = tempDirs();

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 << 20, timeout: 4 * MINUTE }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(command: string, args: readonly string[], cwd: string): Promise<string> {
  const ran = await run(command, args, cwd);
  if (ran.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
  return ran.stdout;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Web-log events over three files: every 7 minutes from 10:00, actions in turn. */
function logFiles(): { files: string[]; expected: { action: string; hour: string; count: number }[] } {
  const actions = ["view", "buy", "view", "search"];
  const files: string[] = [];
  const counts = new Map<string, number>();
  let n = 0;
  for (let f = 0; f < 3; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++, n++) {
      const time = new Date(Date.UTC(2024, 0, 1, 10) + n * 7 * 60_000);
      const action = actions[n % actions.length]!;
      lines.push(JSON.stringify({ time: time.toISOString(), action, user: `u${n % 5}` }));
      const hour = new Date(Math.floor(time.getTime() / 3_600_000) * 3_600_000).toISOString();
      counts.set(`${hour}|${action}`, (counts.get(`${hour}|${action}`) ?? 0) + 1);
    }
    files.push(lines.join("\n") + "\n");
  }
  const expected = [...counts].map(([k, count]) => ({ hour: k.split("|")[0]!, action: k.split("|")[1]!, count }))
    .sort((a, b) => a.hour.localeCompare(b.hour) || a.action.localeCompare(b.action))
    .map(({ action, hour, count }) => ({ action, hour, count }));
  return { files, expected };
}

describe("rivulet installed from its packed tarball", () => {
  let packed: { path: string }[];
  let app: string;
  let installed: string;

  beforeAll(async () => {
    const work = await dirs("rivulet-package-");
    const report = JSON.parse(await ok("npm", ["pack", "--json", "--pack-destination", work], ROOT)) as { filename: string; files: { path: string }[] }[];
    packed = report[0]!.files;
    app = join(work, "app");
    await mkdir(app);
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "rivulet-user", private: true, type: "module" }));
    // The tarball, and the Node types a TypeScript user has; both from npm's cache when it has them.
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, report[0]!.filename), "@types/node@^20.19.0"], app);
    installed = join(app, "node_modules", "rivulet");
    await cp(CONSUMER, app, { recursive: true });
  }, 6 * MINUTE);

  it("ships dist/ (JavaScript, declarations, source maps, UI assets), README, LICENSE, CHANGELOG and the command only", async () => {
    const paths = packed.map((f) => f.path);
    const outside = paths.filter((p) => !p.startsWith("dist/") && !["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin/rivulet.mjs"].includes(p));
    expect(outside).toEqual([]);
    const unexpected = paths.filter((p) => p.startsWith("dist/") && !/^dist\/(src|grammar)\/.*\.(js|d\.ts|js\.map)$/.test(p) && !p.startsWith("dist/src/ui/assets/"));
    expect(unexpected).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining([
      "LICENSE", "README.md", "CHANGELOG.md",
      "dist/src/index.js", "dist/src/index.d.ts", "dist/src/index.js.map",
      "dist/src/testing/index.js", "dist/src/testing/index.d.ts",
      "dist/src/connect/index.js", "dist/src/connect/index.d.ts",
      "dist/grammar/sql-parser.js", "dist/src/cli/main.js",
      // modules that worker threads import by URL
      "dist/src/physical/partial-aggregate-task.js", "dist/src/connectors/sources/json-file-task.js", "dist/src/connectors/jdbc/describe-table.js",
      "dist/src/ui/assets/index.html", "dist/src/ui/assets/app.js", "dist/src/ui/assets/charts.js", "dist/src/ui/assets/style.css",
    ]));
    expect(await readFile(join(installed, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
  });

  it("installs no TypeScript loader, no bus client and no database driver but SQLite's; the disk-backed state store's engine and Parquet's", async () => {
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    expect(Object.keys(manifest.dependencies!).sort()).toEqual(["@bufbuild/protobuf", "@connectrpc/connect", "@connectrpc/connect-node", "apache-arrow", "avsc", "chevrotain", "kysely", "lmdb", "node-sqlite3-wasm", "parquet-wasm"]);
    const present = await readdir(join(app, "node_modules"));
    for (const absent of ["tsx", "esbuild", "typescript", "pg", "mysql2", "redis", "@nats-io"]) expect(present).not.toContain(absent);
  });

  it("declarations import .js files, never the sources' .ts", async () => {
    const leaks: string[] = [];
    for (const file of (await filesUnder(join(installed, "dist"))).filter((f) => f.endsWith(".d.ts"))) {
      const text = await readFile(join(installed, "dist", file), "utf8");
      for (const m of text.matchAll(/(["'])(\.\.?\/[^"'\n]*)\1/g)) if (!m[2]!.endsWith(".js")) leaks.push(`${file}: ${m[2]}`);
    }
    expect(leaks).toEqual([]);
  });

  it("runs the README's first job with plain node: counts per action and hour, workers and web UI from dist/", async () => {
    const { files, expected } = logFiles();
    await mkdir(join(app, "logs"));
    await Promise.all(files.map((text, i) => writeFile(join(app, "logs", `part-${i}.json`), text)));
    const out = JSON.parse(await ok(process.execPath, ["job.mjs", "logs"], app)) as { rows: unknown[]; ui: Record<string, unknown> };
    expect(out.rows).toEqual(expected);
    expect(out.ui).toEqual({ page: 200, script: 200, type: "text/javascript; charset=utf-8" });
  }, 2 * MINUTE);

  it("keeps streaming state on disk with the engine its install brought (Spark's RocksDBStateStoreProvider name)", async () => {
    const out = JSON.parse(await ok(process.execPath, ["disk-state.mjs", "logs"], app)) as { users: string[]; changelogs: number };
    expect(out).toEqual({ users: ["u0", "u1", "u2", "u3", "u4"], changelogs: 3 });
  }, 2 * MINUTE);

  it("loads the Spark Connect backend at the first remote session, not when rivulet is imported", async () => {
    const out = JSON.parse(await ok(process.execPath, ["remote-lazy.mjs"], app)) as { atImport: string[]; plan: unknown };
    expect(out.atImport).toEqual([]);
    expect(out.plan).toEqual({
      root: {
        common: { planId: "1" },
        filter: { input: { common: { planId: "0" }, range: { start: "0", end: "3", step: "1" } }, condition: { expressionString: { expression: "id > 0" } } },
      },
    });
  }, 2 * MINUTE);

  it("imports rivulet/testing and runs the README's test-kit example, whose failing check fails", async () => {
    expect(JSON.parse(await ok(process.execPath, ["test-kit.mjs"], app))).toEqual({ passed: true, failure: "StreamTestFailure" });
  }, 2 * MINUTE);

  it("loads with require() from CommonJS (a .cjs file): the package and rivulet/testing", async () => {
    const out = JSON.parse(await ok(process.execPath, ["commonjs.cjs"], app)) as { rows: unknown[]; memoryStream: string };
    expect(out).toEqual({ rows: [{ action: "buy", n: 1 }, { action: "view", n: 2 }], memoryStream: "function" });
  }, 2 * MINUTE);

  it("says which package to install for a JDBC URL or a bus whose client is absent", async () => {
    const errors = JSON.parse(await ok(process.execPath, ["drivers.mjs"], app)) as Record<string, string>;
    expect(errors.pg).toMatch(/^ConnectorError: .*needs the driver package 'pg', which is not installed: npm install pg$/);
    expect(errors.mysql2).toMatch(/^ConnectorError: .*needs the driver package 'mysql2', which is not installed: npm install mysql2$/);
    expect(errors["@nats-io/transport-node"]).toMatch(/NATS needs the driver package '@nats-io\/transport-node', which is not installed: npm install @nats-io\/transport-node$/);
    expect(errors.redis).toMatch(/Redis needs the driver package 'redis', which is not installed: npm install redis$/);
  }, 2 * MINUTE);

  it("type-checks a strict TypeScript project using typed Datasets (skipLibCheck off); a misspelt column is a compile error", async () => {
    // One compilation of both files: typed.ts must be clean, misspelt.ts must fail on "acton" alone.
    await writeFile(join(app, "tsconfig.both.json"), JSON.stringify({ extends: "./tsconfig.json", files: ["typed.ts", "misspelt.ts"] }));
    const ran = await run(process.execPath, [TSC, "-p", "tsconfig.both.json", "--pretty", "false"], app);
    const errors = ran.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^misspelt\.ts\(6,\d+\): error TS2345: Argument of type '"acton"' is not assignable/);
    expect(ran.code).toBe(2);
  }, 2 * MINUTE);

  it("exports every type its public API mentions, but for type-level helpers", () => {
    const dist = join(installed, "dist", "src");
    const missing = unexportedPublicTypes([join(dist, "index.d.ts"), join(dist, "testing", "index.d.ts")], installed + "/");
    // Type arithmetic behind the typed Dataset's signatures (users name the results, not these),
    // and the base of the ColumnRef expression node that `functions` has always re-exported.
    const helpers = [
      "ArgRow (dist/src/api/typed/typed-row.d.ts)", "UnionToIntersection (dist/src/api/typed/typed-row.d.ts)",
      "ValueOf (dist/src/types/schema-builder.d.ts)", "Typed (dist/src/expr/expression.d.ts)",
    ];
    for (const h of helpers) missing.delete(h);
    expect(Object.fromEntries(missing)).toEqual({});
  }, 2 * MINUTE);

  it("runs `rivulet demo` into the embedded SQLite database with nothing else installed", async () => {
    const ran = await run(join(app, "node_modules", ".bin", "rivulet"), ["demo", "--duration", "2", "--interval", "0.5"], app);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(/counts go to jdbc:sqlite:/);
    const out = ran.stdout;
    expect(out).toMatch(/\|window_start\s*\|window_end\s*\|action\s*\|n\s*\|/);
    expect(out).toMatch(/\|\d{4}-\d\d-\d\d \d\d:00:00\|\d{4}-\d\d-\d\d \d\d:00:00\|view\s*\|\d+\s*\|/);
  }, 2 * MINUTE);

  it("runs the installed command with plain node: rivulet sql \"SELECT 1 + 1\", --version", async () => {
    const bin = join(app, "node_modules", ".bin", "rivulet");
    expect(await ok(bin, ["sql", "SELECT 1 + 1"], app)).toBe(["+-------+", "|(1 + 1)|", "+-------+", "|2      |", "+-------+", ""].join("\n"));
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await ok(bin, ["--version"], app)).toBe(`rivulet ${version}\n`);
  }, 2 * MINUTE);
});
