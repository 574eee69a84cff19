import type { CheckpointPaths } from "../checkpoint/paths.ts";
import { checkStateSchemaCompatible } from "../checkpoint/state-schema-compatibility.ts";
import { readStateSchemaFile, writeStateSchemaFile, type OperatorStateSchema } from "../checkpoint/state-schema-file.ts";
import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { Logger } from "../common/log.ts";
import type { StatefulOperator } from "../physical/exec-operator.ts";

const log = new Logger("StateSchemaCheck");

/**
 * Spark's StateSchemaCompatibilityChecker at the start of a run: each stateful operator's
 * key and value schemas against the ones its checkpoint recorded. An incompatible one
 * fails the start (a StateError, not retried by the restart strategy), unless
 * spark.sql.streaming.stateStore.stateSchemaCheck is false, which only logs it. An
 * operator without a schema file (a new query, or a checkpoint written before rivulet kept
 * them) gets one once its first batch is committed.
 */
export class StateSchemaCheck {
  #pending: OperatorStateSchema[];

  private constructor(readonly paths: CheckpointPaths, pending: OperatorStateSchema[]) {
    this.#pending = pending;
  }

  static async verify(paths: CheckpointPaths, operators: readonly StatefulOperator[], conf: RuntimeConfig): Promise<StateSchemaCheck> {
    const enforce = conf.getBoolean(ConfKeys.stateSchemaCheck);
    const pending: OperatorStateSchema[] = [];
    for (const op of operators) {
      const current = op.stateSchema?.();
      if (current === undefined) continue;
      const stored = await readStateSchemaFile(paths, op.operatorId);
      if (stored === null) { pending.push(current); continue; }
      const error = checkStateSchemaCompatible(paths.root, stored, current);
      if (error === null) continue;
      if (enforce) throw error;
      log.warn(`${error.message} (running anyway: ${ConfKeys.stateSchemaCheck} is false)`);
    }
    return new StateSchemaCheck(paths, pending);
  }

  /** After a batch's commit: records the schemas the checkpoint does not have yet (once). */
  async recordAfterCommit(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    for (const schema of pending) await writeStateSchemaFile(this.paths, schema);
  }
}
