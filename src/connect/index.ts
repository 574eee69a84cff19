/**
 * `rivulet/connect`: what a remote session (`Session.builder().remote(url)`) sends to
 * Spark, without a server.
 */
import { create, toJson, type JsonValue } from "@bufbuild/protobuf";
import { AnalysisError } from "../common/errors.ts";
import { RemoteDataFrameWriter } from "./api/remote-data-frame-writer.ts";
import { RemoteDataStreamWriter } from "./api/remote-data-stream-writer.ts";
import { RemoteDataset } from "./api/remote-dataset.ts";
import { PlanSchema } from "./gen/spark/connect/base_pb.ts";

/**
 * The `spark.connect.Plan` as proto3 JSON (as @bufbuild/protobuf's `toJson` writes it):
 * for a DataFrame of a remote session, the Plan running it sends (`{ root: Relation }`);
 * for a stream writer not yet started, the Plan `start()` sends (`{ command: {
 * writeStreamOperationStart: … } }`); for a batch writer (`df.write…`), the Plan a plain
 * `save()` sends (`{ command: { writeOperation: … } }`, the path being the `path` option if set).
 */
export function toConnectPlan(target: object): JsonValue {
  if (target instanceof RemoteDataset) {
    return toJson(PlanSchema, create(PlanSchema, { opType: { case: "root", value: target.relation } }));
  }
  if (target instanceof RemoteDataStreamWriter) {
    return toJson(PlanSchema, create(PlanSchema, { opType: { case: "command", value: { commandType: { case: "writeStreamOperationStart", value: target.command() } } } }));
  }
  if (target instanceof RemoteDataFrameWriter) {
    return toJson(PlanSchema, create(PlanSchema, { opType: { case: "command", value: { commandType: { case: "writeOperation", value: target.command() } } } }));
  }
  throw new AnalysisError(
    "toConnectPlan needs a DataFrame of a remote session (Session.builder().remote(url)), its df.write or its df.writeStream",
  );
}
