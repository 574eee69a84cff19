import type { RecordBatch } from "apache-arrow";
import { toRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows, rowsToBatch, type Row } from "../../src/columnar/values.ts";
import type { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { RuntimeConfig } from "../../src/common/config.ts";
import type { ReadRequest, SourceProvider } from "../../src/connectors/source.ts";
import { Call, ColumnRef, Literal, type Expression } from "../../src/expr/expression.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planPhysical } from "../../src/physical/planner.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { LongType, StructType } from "../../src/types/data-types.ts";
import { UTC } from "../../src/common/time-zone.ts";

export const col = (name: string, qualifier: string | null = null): Expression => ColumnRef.create(name, qualifier);
export const lit = (value: unknown): Expression => Literal.create(value, null);
export const long = (value: number): Expression => Literal.create(value, LongType);
export const call = (name: string, ...args: Expression[]): Expression => Call.create(name, args);
export const gt = (a: Expression, b: Expression): Expression => call("greaterthan", a, b);
export const eq = (a: Expression, b: Expression): Expression => call("equalto", a, b);
export const and = (a: Expression, b: Expression): Expression => call("and", a, b);

export const LOGS_SCHEMA = "time TIMESTAMP, action STRING, bytes LONG, user STRING";

/** A source provider over fixed rows that records what each read asked for and honours it. */
export interface FakeSource extends SourceProvider {
  readonly requests: ReadRequest[];
}

export function fakeSource(options: { schema?: string; format?: string; details?: string; rows?: readonly Row[] } = {}): FakeSource {
  const schema = parseSchema(options.schema ?? LOGS_SCHEMA);
  const rows = options.rows ?? [];
  const requests: ReadRequest[] = [];
  return {
    format: options.format ?? "json",
    details: options.details ?? "logs/",
    schema,
    supportsBatch: true,
    requests,
    createSource() {
      return {
        schema,
        description: "fake",
        async latestOffset() { return rows.length; },
        async getBatch(_start, _end, request): Promise<RecordBatch[]> {
          requests.push(request ?? {});
          const wanted = request?.columns ?? schema.fieldNames;
          const readSchema = new StructType(schema.fields.filter((f) => wanted.includes(f.name)));
          return [toRecordBatch(rowsToBatch(readSchema, rows, "fake source"))];
        },
        async stop() {},
      };
    },
  };
}

/** Runs a batch (non-streaming) plan and returns its rows. */
export async function runPlan(plan: LogicalPlan): Promise<Row[]> {
  const { root } = planPhysical(plan, new RuntimeConfig());
  const batches: ColumnBatch[] = await root.execute({
    batchId: 0,
    eval: { batchTimestampMicros: 0, timeZoneId: UTC.id },
    sourceData: new Map(),
    watermarkMicros: -Infinity,
    outputMode: "append",
    streaming: false,
  });
  return batches.flatMap(batchToRows);
}

/** Strips the common indentation of a template literal, for expected plan strings. */
export function plan(text: string): string {
  const lines = text.replace(/^\n/, "").replace(/\n\s*$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}
