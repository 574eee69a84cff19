import { AnalysisError } from "../common/errors.ts";
import type { QueryFingerprint } from "../checkpoint/stream-metadata.ts";
import type { DStream } from "./dstream.ts";
import { isInputOp, type InputOp } from "./dstream-op.ts";
import type { OutputOperation } from "./ops/output-operation.ts";

/**
 * The streams of one StreamingContext (Spark's DStreamGraph): inputs, stateful streams
 * and outputs in the order they were defined. Stateful streams are numbered in creation
 * order: the number names their state directory, so the same program finds its state
 * again after a restart.
 */
export class DStreamGraph {
  readonly streams: DStream<any>[] = [];
  readonly inputs: InputOp<any>[] = [];
  readonly stateful: DStream<any>[] = [];
  readonly outputs: OutputOperation<any>[] = [];
  rememberMs = 0;
  #frozen = false;

  addStream(stream: DStream<any>): number {
    this.#checkOpen();
    const op = stream.op;
    if (isInputOp(op)) {
      op.inputIndex = this.inputs.length;
      this.inputs.push(op);
    }
    if (op.requiresCheckpoint === true) {
      op.operatorId = this.stateful.length;
      this.stateful.push(stream);
    }
    this.streams.push(stream);
    return this.streams.length - 1;
  }

  addOutput(output: OutputOperation<any>): void {
    this.#checkOpen();
    this.outputs.push(output);
  }

  /** Spark's checks at start(). */
  validate(checkpointDir: string | null): void {
    if (this.outputs.length === 0) {
      throw new AnalysisError("No output operations registered, so nothing to execute: add print(), foreachRDD() or saveAsTextFiles()");
    }
    if (checkpointDir === null && this.stateful.length > 0) {
      const needs = [...new Set(this.stateful.map((s) => s.op.name))].join(", ");
      throw new AnalysisError(`The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint(). (${needs} keeps state in it)`);
    }
  }

  /** Freezes the graph and sets how long each stream keeps its batches. */
  initialize(): void {
    this.#frozen = true;
    for (const out of this.outputs) out.parent.rememberAtLeast(Math.max(this.rememberMs, out.parent.slideDuration));
    for (const s of this.streams) s.rememberAtLeast(Math.max(this.rememberMs, s.slideDuration));
  }

  /** What a checkpoint must agree with (the structured engine's fingerprint, reused). */
  fingerprint(): QueryFingerprint {
    return {
      sources: this.inputs.map((i) => i.kind),
      statefulOperators: this.stateful.map((s) => `${s.op.operatorId}:${s.op.name}`),
    };
  }

  #checkOpen(): void {
    if (this.#frozen) {
      throw new AnalysisError("Adding new inputs, transformations, and output operations after starting a context is not supported");
    }
  }
}
