import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../common/atomic-file.ts";
import { StateError } from "../common/errors.ts";
import type { Offset } from "./source.ts";

/**
 * The offset a query began at, resolved at its first trigger and kept in the source's
 * checkpoint folder (Spark's Kafka source keeps it in `sources/<i>/0`), so that a restart
 * before the first commit starts where the first run did, not at a later "latest".
 */
export async function loadOrRecordInitialOffset(metadataPath: string | null, resolve: () => Promise<Offset>): Promise<Offset> {
  if (metadataPath === null) return resolve();
  const file = join(metadataPath, "initialOffset");
  try {
    const [version, json] = (await readFile(file, "utf8")).split("\n");
    if (version !== "v1" || json === undefined) throw new StateError(`source metadata ${file} is corrupt`);
    return JSON.parse(json) as Offset;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const offset = await resolve();
  await mkdir(metadataPath, { recursive: true });
  await writeFileAtomic(file, `v1\n${JSON.stringify(offset)}\n`);
  return offset;
}
