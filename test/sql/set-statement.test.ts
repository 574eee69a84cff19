import { afterAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { removeTempDirs, runCli } from "../cli/helpers.ts";

afterAll(removeTempDirs);

describe("SET key = value takes the raw text up to ';' as the value, as Spark's SET", () => {
  test("a zone id with '/', a duration with a space, an empty value, keywords; a quoted value stands for its content", async () => {
    const spark = Session.builder().getOrCreate().newSession();
    const { results } = await spark.sqlScript(`
      SET spark.sql.session.timeZone = America/Los_Angeles;
      SET rivulet.test.duration = 30 minutes ;
      SET rivulet.test.quoted = 'a; b';
      SET rivulet.test.words = select * from t;
      SET rivulet.test.empty =;
      SET rivulet.test.negative = -1`);
    const shown = await Promise.all(results.map(async (df) => (await df.collect())[0]));
    expect(shown).toEqual([
      { key: "spark.sql.session.timeZone", value: "America/Los_Angeles" },
      { key: "rivulet.test.duration", value: "30 minutes" },
      { key: "rivulet.test.quoted", value: "a; b" },
      { key: "rivulet.test.words", value: "select * from t" },
      { key: "rivulet.test.empty", value: "" },
      { key: "rivulet.test.negative", value: "-1" },
    ]);
    expect(await spark.sql("SELECT current_timezone() AS z").collect()).toEqual([{ z: "America/Los_Angeles" }]);
    // SET TIME ZONE is still its own statement.
    await spark.sqlScript("SET TIME ZONE 'Europe/Paris'");
    expect(spark.conf.get("spark.sql.session.timeZone")).toBe("Europe/Paris");
  });

  test("`rivulet sql` runs the same script: the zone set by SET shapes the timestamp text", async () => {
    const r = await runCli(["sql", "--format", "csv", "SET spark.sql.session.timeZone = America/Los_Angeles; SELECT current_timezone() AS z, CAST(TIMESTAMP '2024-07-15 12:00:00' AS STRING) AS t"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("z,t\nAmerica/Los_Angeles,2024-07-15 12:00:00\n");
  });
});
