import { describe, expect, it } from "vitest";
import { ConsoleSink, consoleSinkFactory } from "../../../src/connectors/sinks/console-sink.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { sinkContext, table } from "./helpers.ts";

const schema = parseSchema("word STRING, count BIGINT");

function capture(): { out: { write(text: string): void }; text: () => string } {
  let buffer = "";
  return { out: { write: (t: string) => { buffer += t; } }, text: () => buffer };
}

describe("ConsoleSink", () => {
  it("prints each batch under Spark's banner, then an empty line", async () => {
    const { out, text } = capture();
    const sink = await consoleSinkFactory(out)(sinkContext(schema, "complete"));
    await sink.addBatch(0, table(schema, [{ word: "spark", count: 2 }, { word: "rivulet", count: 10 }]), "complete");
    expect(text()).toBe([
      "-------------------------------------------",
      "Batch: 0",
      "-------------------------------------------",
      "+-------+-----+",
      "|   word|count|",
      "+-------+-----+",
      "|  spark|    2|",
      "|rivulet|   10|",
      "+-------+-----+",
      "",
      "",
    ].join("\n"));
    expect(sink.lastBatchRows).toBe(2);
  });

  it("prints timestamps in the session time zone (spark.sql.session.timeZone), as Spark's console sink", async () => {
    const { out, text } = capture();
    const events = parseSchema("t TIMESTAMP");
    const context = sinkContext(events, "append");
    context.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");
    const sink = await consoleSinkFactory(out)(context);
    await sink.addBatch(0, table(events, [{ t: "2016-12-31T08:12:00Z" }, { t: "2016-07-02T03:30:00Z" }]), "append");
    expect(text()).toContain("|2016-12-31 00:12:00|\n|2016-07-01 20:30:00|");
  });

  it("prints an empty batch as an empty table", async () => {
    const { out, text } = capture();
    const sink = new ConsoleSink({ out, schema });
    await sink.addBatch(3, table(schema), "append");
    expect(text()).toBe([
      "-------------------------------------------",
      "Batch: 3",
      "-------------------------------------------",
      "+----+-----+",
      "|word|count|",
      "+----+-----+",
      "+----+-----+",
      "",
      "",
    ].join("\n"));
  });

  it("takes numRows and truncate options, across record batches", async () => {
    const { out, text } = capture();
    const sink = await consoleSinkFactory(out)(sinkContext(schema, "append", { numRows: "3", truncate: "false" }));
    const long = "x".repeat(25);
    await sink.addBatch(1, table(schema, [{ word: "a", count: 1 }, { word: long, count: 2 }], [{ word: "c", count: 3 }, { word: "d", count: 4 }]), "append");
    expect(text()).toBe([
      "-------------------------------------------",
      "Batch: 1",
      "-------------------------------------------",
      "+-------------------------+-----+",
      "|word                     |count|",
      "+-------------------------+-----+",
      "|a                        |1    |",
      `|${long}|2    |`,
      "|c                        |3    |",
      "+-------------------------+-----+",
      "only showing top 3 rows",
      "",
      "",
    ].join("\n"));
    expect(sink.lastBatchRows).toBe(4);
  });

  it("rejects a bad option", () => {
    expect(() => consoleSinkFactory()(sinkContext(schema, "append", { truncate: "maybe" }))).toThrow(/truncate/);
    expect(() => consoleSinkFactory()(sinkContext(schema, "append", { numRows: "-1" }))).toThrow(/numRows/);
  });
});
