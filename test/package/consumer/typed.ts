// A TypeScript user's typed Datasets, checked against the installed declarations.
import { GroupStateTimeout, Session, count, types, window, type Dataset, type GroupState, type Infer, type StreamingQuery } from "rivulet";
import { ManualClock, MemoryStream, testStream, type StreamTest } from "rivulet/testing";

const Log = types.struct({ time: types.timestamp(), user: types.string(), action: types.string(), bytes: types.long().nullable() });
type Log = Infer<typeof Log>;
const log: Log = { time: new Date(), user: "u", action: "buy", bytes: null };

const spark = Session.builder().appName("typed").withClock(new ManualClock()).getOrCreate();
const logs: Dataset<Log> = spark.readStream.schema(Log).json("logs/").withWatermark("time", "10 minutes");

const picked: Dataset<{ action: string; time: Date }> = logs.select("action", "time");
const counts: Dataset<{ window: { start: Date; end: Date }; action: string; n: number }> =
  logs.groupBy(window(logs.col("time"), "1 hour"), "action").agg(count("*").as("n"));
const big: Dataset<Log> = logs.filter(logs.col("bytes").gt(1024));
const buys: Dataset<Log> = logs.filter((r) => r.action === "buy");

const Visit = types.struct({ user: types.string(), pages: types.long(), closed: types.boolean() });
const visits: Dataset<{ user: string; pages: number; closed: boolean }> = logs.groupByKey((r) => r.user)
  .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, (user, rows, state: GroupState<{ pages: number }>) => {
    const pages = (state.getOption()?.pages ?? 0) + rows.length;
    state.update({ pages });
    return [{ user, pages, closed: false }];
  }, Visit);

const query: StreamingQuery = counts.writeStream.outputMode("update").format("console").start();
const words = new MemoryStream<{ word: string }>(spark, "word STRING");
const kit: StreamTest = testStream(words.toDF().groupBy("word").count(), "update").addData(words, [{ word: "a" }]);
export { log, picked, big, buys, visits, query, kit };
