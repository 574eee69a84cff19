import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordBatch } from "apache-arrow";
import { fromRecordBatch } from "../../../src/columnar/arrow-convert.ts";
import { batchToRows, type Row } from "../../../src/columnar/values.ts";
import { RuntimeConfig } from "../../../src/common/config.ts";
import type { Offset, ReadRequest, Source, SourceContext } from "../../../src/connectors/source.ts";

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "rivulet-sources-"));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes a file and sets its modification time to `mtimeSeconds` (since the epoch) when given. */
export async function put(dir: string, name: string, text: string, mtimeSeconds?: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  if (mtimeSeconds !== undefined) await utimes(path, mtimeSeconds, mtimeSeconds);
  return path;
}

export function context(metadataPath: string | null = null, bounded = false): SourceContext {
  return { metadataPath, conf: new RuntimeConfig(), bounded };
}

export function rowsOf(batches: readonly RecordBatch[]): Row[] {
  return batches.flatMap((b) => batchToRows(fromRecordBatch(b)));
}

export async function read(source: Source, start: Offset | null, end: Offset, request?: ReadRequest): Promise<Row[]> {
  return rowsOf(await source.getBatch(start, end, request));
}

/** Reads everything a bounded source has. */
export async function readAll(source: Source, request?: ReadRequest): Promise<Row[]> {
  const end = await source.latestOffset(null);
  return end === null ? [] : read(source, null, end, request);
}
