// The README's test-kit example (rivulet/testing), with plain node.
import { Session } from "rivulet";
import { ManualClock, MemoryStream, testStream } from "rivulet/testing";

const spark = Session.builder().withClock(new ManualClock()).getOrCreate();
const words = new MemoryStream(spark, "word STRING");
await testStream(words.toDF().groupBy("word").count(), "update")
  .addData(words, [{ word: "a" }, { word: "b" }, { word: "a" }])
  .checkNewAnswer([{ word: "a", count: 2 }, { word: "b", count: 1 }])
  .stopStream().startStream()
  .addData(words, [{ word: "a" }])
  .checkNewAnswer([{ word: "a", count: 3 }])
  .assertNumStateRows(2)
  .run();

// A failing expectation must fail: the kit is not a no-op.
let failure = null;
try {
  await testStream(words.toDF().groupBy("word").count(), "complete")
    .addData(words, [{ word: "c" }])
    .checkNewAnswer([{ word: "c", count: 2 }])
    .run();
} catch (error) {
  failure = error.name;
}
await spark.stop();
console.log(JSON.stringify({ passed: true, failure }));
