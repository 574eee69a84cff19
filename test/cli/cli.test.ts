import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { at, removeTempDirs, runCli, tempDir, writeLogs } from "./helpers.ts";

const COMMANDS = ["run", "sql", "explain", "demo", "agent"];

afterAll(removeTempDirs);

describe("rivulet --help and usage errors", () => {
  test("--help lists the commands and the exit codes", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(r.stdout).toContain("Exit codes:");
    expect(r.stdout).toMatch(/2 +usage error/);
  });

  test.each(COMMANDS)("rivulet %s --help", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: rivulet ${command}`));
    expect(r.stderr).toBe("");
  });

  test("no command: the help on stderr, exit 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: rivulet <command>");
  });

  test.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["run"], /the job file is missing/],
    [["run", "job.sql", "--bogus"], /Unknown option '--bogus'/],
    [["run", "/nonexistent/job.sql"], /cannot read the job file \/nonexistent\/job.sql: ENOENT/],
    [["run", "job.sql", "--ui", "http"], /--ui expects a port number/],
    [["sql"], /the SQL text is missing/],
    [["sql", "SELECT 1", "--format", "xml"], /--format must be one of table, json, csv, not 'xml'/],
    [["sql", "SELECT 1", "--table", "nopath"], /--table expects name=path/],
    [["agent", "--name", "a1"], /--conf-file and --name are required/],
  ])("rivulet %j: a clear message and exit 2", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: rivulet/m);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(r.stdout).toBe("");
  });
});

describe("rivulet sql", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("sql");
    await writeLogs(join(dir, "logs"), "a.json", [
      { time: at(10, 1), action: "click" }, { time: at(10, 2), action: "view" }, { time: at(10, 3), action: "click" },
    ]);
    await writeLogs(join(dir, "logs"), "b.json", [{ time: at(11, 5), action: "click, \"quoted\"" }]);
  });
  const query = "SELECT action, count(*) AS n, min(time) AS first FROM logs GROUP BY action ORDER BY action";

  test("--format table (the default) prints Spark's show() table", async () => {
    const r = await runCli(["sql", "--table", `logs=${join(dir, "logs")}`, query]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // Without a schema, JSON timestamps are read as strings (as Spark infers them).
    expect(r.stdout).toBe([
      "+---------------+---+------------------------+",
      "|action         |n  |first                   |",
      "+---------------+---+------------------------+",
      "|click          |2  |2026-01-01T10:01:00.000Z|",
      "|click, \"quoted\"|1  |2026-01-01T11:05:00.000Z|",
      "|view           |1  |2026-01-01T10:02:00.000Z|",
      "+---------------+---+------------------------+",
      "",
    ].join("\n"));
  });

  test("--format json: one object per line, timestamps ISO-8601", async () => {
    const r = await runCli(["sql", "--format", "json", "--table", `logs=json:${join(dir, "logs")}`, query]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { action: "click", n: 2, first: "2026-01-01T10:01:00.000Z" },
      { action: 'click, "quoted"', n: 1, first: "2026-01-01T11:05:00.000Z" },
      { action: "view", n: 1, first: "2026-01-01T10:02:00.000Z" },
    ]);
  });

  test("--format json and csv print values as Spark's JSON and CSV writers: decimals 1.50, BIGINT exact, '' apart from NULL", async () => {
    const query = "SELECT 1.50BD AS d, 12345678901234567L AS big, '' AS e, CAST(NULL AS STRING) AS n, array(2.5BD) AS a, map('k', 2L) AS m, 'a,\"b' AS q";
    const json = await runCli(["sql", "--format", "json", query]);
    expect(json.stderr).toBe("");
    expect(json.stdout).toBe('{"d":1.50,"big":12345678901234567,"e":"","a":[2.5],"m":{"k":2},"q":"a,\\"b"}\n');
    const csv = await runCli(["sql", "--format", "csv", query]);
    expect(csv.stdout).toBe('d,big,e,n,a,m,q\n1.50,12345678901234567,"",,[2.5],"{""k"":2}","a,""b"\n');
  }, 120_000);

  test("timestamps print in the session time zone, as Spark's spark-sql shell: table, json and csv", async () => {
    const text = `CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}'); `
      + "SELECT action, min(time) AS first FROM logs WHERE action = 'view' GROUP BY action";
    const la = ["--conf", "spark.sql.session.timeZone=America/Los_Angeles"];
    const table = await runCli(["sql", text, ...la]);
    expect(table.stderr).toBe("");
    expect(table.stdout).toContain("|view  |2026-01-01 02:02:00|");
    const json = await runCli(["sql", text, "--format", "json", ...la]);
    expect(JSON.parse(json.stdout.trim())).toEqual({ action: "view", first: "2026-01-01T02:02:00.000-08:00" });
    const csv = await runCli(["sql", text, "--format", "csv", ...la]);
    expect(csv.stdout).toBe("action,first\nview,2026-01-01T02:02:00.000-08:00\n");
  }, 180_000);

  test("--format csv: a header, then RFC 4180 rows; tables from CREATE TABLE in the text", async () => {
    const text = `CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}'); ${query}`;
    const r = await runCli(["sql", text, "--format", "csv"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      "action,n,first",
      "click,2,2026-01-01T10:01:00.000Z",
      '"click, ""quoted""",1,2026-01-01T11:05:00.000Z',
      "view,1,2026-01-01T10:02:00.000Z",
      "",
    ].join("\n"));
  });

  test("a syntax error: Spark's message, no stack trace, exit 3; --verbose adds the stack", async () => {
    const r = await runCli(["sql", "SELECT action FORM logs"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rivulet: error: \[PARSE_SYNTAX_ERROR\] Syntax error at or near/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const verbose = await runCli(["sql", "SELECT action FORM logs", "--verbose"]);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });

  test("an unknown table: exit 3 with the known tables", async () => {
    const r = await runCli(["sql", "--table", `logs=${join(dir, "logs")}`, "SELECT * FROM logz"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/TABLE_OR_VIEW_NOT_FOUND.*logz/);
    expect(r.stderr).toMatch(/logs/);
  });

  test("a SQL file with -f", async () => {
    const file = join(dir, "q.sql");
    await writeFile(file, `CREATE TABLE logs USING json OPTIONS (path '${join(dir, "logs")}');\nSELECT count(*) AS n FROM logs;\n`);
    const r = await runCli(["sql", "-f", file, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"n":4}\n');
  });
});

describe("rivulet explain", () => {
  test("prints the logical, optimized and physical plans of each INSERT INTO, secrets masked", async () => {
    const dir = await tempDir("explain");
    await writeLogs(join(dir, "logs"), "a.json", [{ time: at(10, 1), action: "click" }]);
    const job = join(dir, "job.sql");
    await writeFile(job, `
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}');
      CREATE TABLE counts USING jdbc OPTIONS (url 'jdbc:mysql://etl:s3cr3t@127.0.0.1:3306/db?password=s3cr3t', dbtable 'counts', outputMode 'update', checkpointLocation '${join(dir, "ckpt")}');
      INSERT INTO counts SELECT action, count(*) AS n FROM STREAM(logs) WHERE action <> 'login' GROUP BY action;
    `);
    const r = await runCli(["explain", job]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^=== INSERT INTO counts ===$/m);
    for (const section of ["== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan =="]) expect(r.stdout).toContain(section);
    expect(r.stdout).toContain("== Sink ==\ncounts USING jdbc OPTIONS (url 'jdbc:mysql://etl:***@127.0.0.1:3306/db?password=***'");
    expect(r.stdout).not.toContain("s3cr3t");
  });
});
