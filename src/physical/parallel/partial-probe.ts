/**
 * When partial aggregation stops: at `ratio` partial groups per row or more, counted over a
 * batch's first files — as soon as a tenth of `rows` rows show it (EARLY_STOP_FRACTION), or
 * once `rows` do; below the ratio over `rows` rows, it goes on for the batch (DataFusion's
 * skip_partial_aggregation_probe_ratio_threshold and _rows_threshold).
 */
export interface SkipPartialProbe {
  readonly ratio: number;
  readonly rows: number;
}

/**
 * Where the probe may say stop before `rows` rows. One file's groups per row already tells
 * (at 1.24M groups a 40k-row file has 0.73 partial groups per row), so a tenth of the default
 * 100k rows is enough to stop (benchmarks/RESULTS.md, branch hashpart).
 */
export const EARLY_STOP_FRACTION = 0.1;

/**
 * One batch's probe of partial aggregation: the rows and groups of its first files, counted
 * in file order (each file's groups are the distinct groups of that file alone, however they
 * were counted), until it answers. It is the batch's own — it starts again each batch, so a
 * batch re-run after a crash, in a process that never saw the batches before it, answers as
 * the first run did.
 */
export class PartialProbe {
  rows = 0;
  groups = 0;
  /** Null until it answers; then whether partial aggregation reduces. */
  reduces: boolean | null = null;

  constructor(readonly thresholds: SkipPartialProbe) {}

  /** Counts one more file; answers whether the probe has answered (now or before). */
  count(rows: number, groups: number): boolean {
    if (this.reduces !== null) return true;
    this.rows += rows;
    this.groups += groups;
    const reduces = this.groups < this.thresholds.ratio * this.rows;
    // Stop at the first sign (over enough rows) that it does not reduce; go on for good once the whole probe reduced.
    if (reduces ? this.rows < this.thresholds.rows : this.rows < this.thresholds.rows * EARLY_STOP_FRACTION) return false;
    this.reduces = reduces;
    return true;
  }
}
