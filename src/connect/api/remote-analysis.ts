import { AnalysisError } from "../../common/errors.ts";
import { typeName, type StructType } from "../../types/data-types.ts";
import { AnalyzePlanRequest_Explain_ExplainMode as ExplainMode } from "../gen/spark/connect/base_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";
import { fromProtoDataType } from "../plan/data-types.ts";
import type { RemoteSessionBackend } from "../remote-session-backend.ts";

/**
 * What a remote Dataset asks Spark about its plan without running it (AnalyzePlan: schema,
 * isStreaming, the tree string, explain): Spark resolves the names and answers.
 */
const root = (relation: Relation) => ({ opType: { case: "root" as const, value: relation } });

export async function remoteSchema(backend: RemoteSessionBackend, relation: Relation): Promise<StructType> {
  const response = await backend.analyze({ case: "schema", value: { plan: root(relation) } });
  const schema = response.result.case === "schema" ? response.result.value.schema : undefined;
  if (schema === undefined) throw new AnalysisError("Spark answered the schema request without a schema");
  return fromProtoDataType(schema) as StructType;
}

export async function remoteDtypes(backend: RemoteSessionBackend, relation: Relation): Promise<[string, string][]> {
  return (await remoteSchema(backend, relation)).fields.map((f): [string, string] => [f.name, typeName(f.dataType)]);
}

export async function remoteIsStreaming(backend: RemoteSessionBackend, relation: Relation): Promise<boolean> {
  const r = await backend.analyze({ case: "isStreaming", value: { plan: root(relation) } });
  return r.result.case === "isStreaming" && r.result.value.isStreaming;
}

export async function printRemoteSchema(backend: RemoteSessionBackend, relation: Relation): Promise<void> {
  const r = await backend.analyze({ case: "treeString", value: { plan: root(relation) } });
  process.stdout.write((r.result.case === "treeString" ? r.result.value.treeString : "") + "\n");
}

export async function explainRemote(backend: RemoteSessionBackend, relation: Relation, extended: boolean | "simple" | "extended"): Promise<void> {
  const explainMode = extended === true || extended === "extended" ? ExplainMode.EXTENDED : ExplainMode.SIMPLE;
  const r = await backend.analyze({ case: "explain", value: { plan: root(relation), explainMode } });
  process.stdout.write((r.result.case === "explain" ? r.result.value.explainString : "") + "\n");
}

/** randomSplit's [lower, upper) bounds per split: the weights normalised, in order (Spark's). */
export function splitBounds(weights: readonly number[]): [number, number][] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!weights.every((w) => w >= 0) || !(sum > 0)) throw new AnalysisError(`requirement failed: Weights must be nonnegative with a positive sum, but got [${weights.join(",")}]`);
  let lower = 0;
  return weights.map((w) => {
    const bounds: [number, number] = [lower, lower + w / sum];
    lower = bounds[1];
    return bounds;
  });
}
