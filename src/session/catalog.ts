import { AnalysisError } from "../common/errors.ts";
import { MemorySink } from "../connectors/sinks/memory-sink.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { localRelation } from "../plan/plan-builder.ts";
import { sameType, type StructType } from "../types/data-types.ts";

/** Temp views and memory-sink tables of a session (Spark's session catalog, in memory). */
export class Catalog {
  readonly #views = new Map<string, LogicalPlan>();
  readonly #memoryTables = new Map<string, MemorySink>();

  registerView(name: string, plan: LogicalPlan, replace: boolean): void {
    const key = name.toLowerCase();
    if (!replace && this.#views.has(key)) throw new AnalysisError(`Temporary view '${name}' already exists`);
    this.#views.set(key, plan);
  }

  dropTempView(name: string): boolean {
    return this.#views.delete(name.toLowerCase());
  }

  /**
   * The memory sink behind table `name`. A query restarted from its checkpoint keeps
   * writing into the same sink, whose batch ids make replays no-ops.
   */
  memorySinkFor(name: string, schema: StructType, fromCheckpoint: boolean): MemorySink {
    const key = name.toLowerCase();
    const existing = this.#memoryTables.get(key);
    if (existing && fromCheckpoint && existing.schema.fields.length === schema.fields.length
      && existing.schema.fields.every((f, i) => sameType(f.dataType, schema.fields[i]!.dataType))) {
      return existing;
    }
    const sink = new MemorySink(schema);
    this.#memoryTables.set(key, sink);
    this.#views.delete(key);
    return sink;
  }

  /** The plan of a view or memory table; null when unknown. */
  lookup(name: string): LogicalPlan | null {
    const key = name.toLowerCase();
    const view = this.#views.get(key);
    if (view) return view;
    const sink = this.#memoryTables.get(key);
    if (sink) return localRelation(name, sink.schema, () => sink.batches());
    return null;
  }

  tableExists(name: string): boolean {
    return this.lookup(name) !== null;
  }

  listTables(): string[] {
    return [...new Set([...this.#views.keys(), ...this.#memoryTables.keys()])].sort();
  }
}
