import { forEachOperator, type ExecOperator } from "../exec-operator.ts";

/**
 * An operator that makes a choice for each batch from what it saw of the batches before
 * (a parallel aggregation: who reads the batch's first file). Such a choice is recorded with
 * the batch's offsets before it runs (the offset log's operatorChoices) and handed back in
 * BatchContext.choices, the same on a re-run after a crash, in a process that never saw the
 * batches before: so the re-run batch makes the first run's choice.
 */
export interface ChoosesPerBatch {
  /** The choices for the next batch, by a key unique in the query (its operator id in it). */
  nextBatchChoices(): Readonly<Record<string, string>>;
}

function choosesPerBatch(op: ExecOperator): op is ExecOperator & ChoosesPerBatch {
  return typeof (op as Partial<ChoosesPerBatch>).nextBatchChoices === "function";
}

/** Every operator's choices for the next batch, from the plan's root down (empty when none chooses). */
export function nextBatchChoices(root: ExecOperator): Record<string, string> {
  const out: Record<string, string> = {};
  forEachOperator(root, (op) => {
    if (choosesPerBatch(op)) Object.assign(out, op.nextBatchChoices());
  });
  return out;
}
