/**
 * rivulet's test kit (`rivulet/testing`): what Spark keeps private for its own tests,
 * public so that users test their pipelines batch by batch.
 */
export { MemoryStream } from "../api/memory-stream.ts";
export { ManualClock, SystemClock, type Clock } from "../execution/clock.ts";
export { testStream, StreamTest, StreamTestFailure } from "./stream-test.ts";
