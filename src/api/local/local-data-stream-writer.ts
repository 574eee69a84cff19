import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { AnalysisError } from "../../common/errors.ts";
import { ConfKeys } from "../../common/config.ts";
import { fromRecordBatch } from "../../columnar/arrow-convert.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { OutputMode, Sink, SinkContext, SinkStatusListener } from "../../connectors/sink.ts";
import { resolveSinkFactory } from "../../connectors/sinks/index.ts";
import { checkpointQueryIdSync } from "../../execution/checkpoint-logs.ts";
import { RestartingExecution } from "../../execution/restarting-execution.ts";
import { restartStrategyOf } from "../../execution/restart-strategy.ts";
import { DEFAULT_TRIGGER } from "../../execution/trigger.ts";
import { schemaOf } from "../../expr/scope.ts";
import { someNode } from "../../plan/logical-plan.ts";
import { resultKey } from "../../plan/result-keys.ts";
import { checkStreamingPlan } from "../../plan/unsupported-operations.ts";
import { batchObserver } from "../observation.ts";
import type { Dataset } from "../dataset.ts";
import { DataStreamWriter } from "../data-stream-writer.ts";
import { StreamingQuery } from "../streaming-query.ts";
import { optionsWithPartitionColumns } from "../../connectors/sinks/partitioned-layout.ts";
import { tableSinkFor } from "./stream-into-table.ts";

/** Sinks that keep their own log of committed batches beside their output: they need a checkpoint. */
const FILE_SINKS = new Set(["csv", "json", "parquet", "text", "orc"]);

/** A local session's DataStreamWriter: the query runs in this process, on rivulet's executor and sinks. */
export class LocalDataStreamWriter<T> extends DataStreamWriter<T> {
  #option(key: string): string | undefined {
    const options = this.settings.options;
    const hit = Object.keys(options).find((k) => k.toLowerCase() === key.toLowerCase());
    return hit === undefined ? undefined : options[hit];
  }

  /**
   * The option, else `spark.sql.streaming.checkpointLocation`/<query name> — with no name, a
   * directory of its own under the same root, as Spark. A file sink without either is refused
   * (#requireCheckpoint; Spark refuses every sink but memory, console, foreach and
   * foreachBatch): its commits (`_spark_metadata`) are numbered by batch, so a second run
   * numbering from 0 again would find its batches committed and silently write nothing.
   */
  #checkpointLocation(name: string | null): string | null {
    const given = this.#option("checkpointLocation");
    if (given !== undefined) return given;
    const root = this.ds.sparkSession.conf.get(ConfKeys.checkpointLocation);
    if (root) return join(root, name ?? randomUUID());
    return null;
  }

  #requireCheckpoint(format: string, checkpoint: string | null): void {
    if (checkpoint !== null || !FILE_SINKS.has(format)) return;
    throw new AnalysisError(`checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("${ConfKeys.checkpointLocation}", ...)`);
  }

  /** Starts the query; checks the plan and output mode now, as Spark does. */
  start(path?: string): StreamingQuery {
    const session = this.ds.sparkSession;
    const plan = this.ds.plan;
    if (path !== undefined) this.option("path", path);
    const settings = this.settings;
    const format = settings.format?.toLowerCase() ?? "console";
    const outputMode = (settings.outputMode?.toLowerCase() ?? "append") as OutputMode;
    const trigger = settings.trigger ?? DEFAULT_TRIGGER;
    checkStreamingPlan(plan, outputMode, {
      allowMultipleStatefulOperators: session.conf.get(ConfKeys.statefulOperatorAllowMultiple)?.toLowerCase() !== "false",
    });
    const isAggregation = someNode(plan, (p) => p.kind === "Aggregate" && p.isStreaming);
    const schema = schemaOf(plan.output);
    const conf = session.conf.snapshot();
    const name = settings.queryName ?? this.#option("queryName") ?? null;
    if (name !== null && session.streams.active.some((q) => q.name === name)) {
      throw new AnalysisError(`Cannot start query with name ${name} as a query with that name is already active in this SparkSession`);
    }

    const checkpoint = this.#checkpointLocation(name);

    const id = (checkpoint !== null ? checkpointQueryIdSync(checkpoint) ?? session.streams.activeIdForCheckpoint(checkpoint) : null) ?? randomUUID();
    let createSink: () => Sink | Promise<Sink>;
    const restartStrategy = restartStrategyOf(conf, this.#option("restartOnFailure"));
    // The sink reports waits to the execution, made below (a connection starts right away).
    let execution: RestartingExecution | undefined;
    const status: SinkStatusListener = { waiting: (e) => execution?.waiting(e), recovered: (s) => execution?.recovered(s) };
    const stopping = new AbortController();
    const context: SinkContext = {
      schema, outputMode: outputMode, options: optionsWithPartitionColumns(settings.options, settings.partitionBy), queryName: name, metadataPath: checkpoint === null ? null : join(checkpoint, "sinks"), conf, isAggregation,
      queryId: id, resultKey: resultKey(plan), status, stopping: stopping.signal,
      triggerIntervalMs: trigger.kind === "processingTime" ? trigger.intervalMs : 0,
    };
    if (format === "memory") {
      if (name === null) throw new AnalysisError("queryName must be specified for memory sink");
      const sink = session.catalog.memorySinkFor(name, schema, checkpoint !== null);
      createSink = () => sink;
    } else if (format === "foreachbatch" || format === "foreach") {
      // foreach(writer) is a foreachBatch of the batch's rows (data-stream-writer.ts).
      const fn = settings.foreachBatch!;
      createSink = () => ({
        description: format === "foreach" ? "ForeachWriterTable" : "ForeachBatchSink",
        addBatch: async (batchId, table) => {
          const batches: ColumnBatch[] = table.batches.map((rb) => fromRecordBatch(rb, schema));
          const df = session.createDataFrameFromBatches(schema, batches) as unknown as Dataset<T>;
          await fn(df, batchId);
        },
      });
    } else {
      // Option and mode errors surface here, at start(); a connection is made when the query starts.
      const factory = resolveSinkFactory(format);
      let created: Sink | Promise<Sink> | null = factory(context);
      this.#requireCheckpoint(format, checkpoint);
      // A restart after a failure makes a new sink.
      createSink = () => { const sink = created ?? factory(context); created = null; return sink; };
    }

    const observeBatch = batchObserver(session, plan, schema) ?? undefined;
    execution = new RestartingExecution({
      id, name, plan: session.optimizePlan(plan), createSink, observeBatch, outputMode: outputMode, trigger: trigger,
      checkpointLocation: checkpoint, conf, listeners: session.streams.listenerBus,
      lateRowsPath: this.#option("lateRows.path") ?? conf.get(ConfKeys.lateRowsPath) ?? null,
      clock: session.clock, restartStrategy, onStop: () => stopping.abort(),
    });
    const query = new StreamingQuery(execution, (q) => session.streams.onTerminated(q));
    session.streams.onStarted(query);
    void execution.start();
    return query;
  }

  /**
   * Writes to a table of the catalog, created when missing (stream-into-table.ts): files
   * under the warehouse by default, an existing table's format and location otherwise. With
   * `format("memory")`, or into a memory table, the rows stay in this process under its name.
   */
  toTable(tableName: string): StreamingQuery {
    const session = this.ds.sparkSession;
    const existing = session.catalog.tableDefinition(tableName)?.format.toLowerCase();
    if (this.settings.format?.toLowerCase() === "memory" || existing === "memory" || existing === "console") {
      return this.format(existing ?? "memory").queryName(this.settings.queryName ?? tableName).start();
    }
    // Refused before the table is made.
    this.#requireCheckpoint(existing ?? this.settings.format?.toLowerCase() ?? "parquet", this.#checkpointLocation(this.settings.queryName ?? null));
    const sink = tableSinkFor(session, tableName, this.settings, schemaOf(this.ds.plan.output));
    return this.format(sink.format).options(sink.options).partitionBy(...sink.partitionBy).start();
  }
}
