import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Input of the dedup crash jobs: FILES JSON-lines files of ids that repeat within and across files. */
export const FILES = 8;

/** File i holds ids i*40 … i*40+79 (half of them in file i-1 too), each twice. */
export async function writeDuplicatedIds(dir: string): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const lines: string[] = [];
    for (let k = i * 40; k < i * 40 + 80; k++) lines.push(JSON.stringify({ id: `u${k}`, n: k }), JSON.stringify({ id: `u${k}`, n: -k }));
    await writeFile(join(dir, `part-${i}.json`), lines.join("\n") + "\n");
  }
}

/** Every id of the input, sorted: what the sink must hold exactly once. */
export const ALL_IDS = Array.from({ length: FILES * 40 + 40 }, (_, k) => `u${k}`).sort();
