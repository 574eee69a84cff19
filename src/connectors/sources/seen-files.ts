/**
 * The files a streaming file source has taken (Spark's FileStreamSource.SeenFilesMap): a
 * file is new when it was never taken and is not older than the purge threshold. Each
 * purge moves the threshold to maxFileAge before the newest file taken and forgets the
 * files older than it, so the map stays bounded by the files of that age; a file older
 * than the threshold is never taken again, even if it was forgotten.
 */
export class SeenFiles {
  readonly #timestamps = new Map<string, number>();
  #latestTimestamp = 0;
  #purgedBefore = 0;

  /** `maxFileAgeMs` Infinity: nothing is ever purged. */
  constructor(readonly maxFileAgeMs: number) {}

  get size(): number {
    return this.#timestamps.size;
  }

  add(path: string, timestamp: number): void {
    this.#timestamps.set(path, timestamp);
    if (timestamp > this.#latestTimestamp) this.#latestTimestamp = timestamp;
  }

  isNew(path: string, timestamp: number): boolean {
    return timestamp >= this.#purgedBefore && !this.#timestamps.has(path);
  }

  /** Forgets the files older than maxFileAge before the newest; returns how many. */
  purge(): number {
    if (!Number.isFinite(this.maxFileAgeMs)) return 0;
    this.#purgedBefore = this.#latestTimestamp - this.maxFileAgeMs;
    let purged = 0;
    for (const [path, timestamp] of this.#timestamps) {
      if (timestamp < this.#purgedBefore) {
        this.#timestamps.delete(path);
        purged++;
      }
    }
    return purged;
  }
}
