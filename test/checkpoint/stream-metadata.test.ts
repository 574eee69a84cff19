import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { describeFingerprintMismatch, loadOrCreateStreamMetadata } from "../../src/checkpoint/stream-metadata.ts";
import { StateError } from "../../src/common/errors.ts";

let paths: CheckpointPaths;
beforeEach(async () => {
  paths = new CheckpointPaths(await mkdtemp(join(tmpdir(), "rivulet-meta-")));
});
afterEach(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

const fingerprint = { sources: ["json[/in]"], statefulOperators: ["StatefulAggregate[word]"] };

describe("loadOrCreateStreamMetadata", () => {
  it("creates the metadata file on first start and keeps the id on restart", async () => {
    const first = await loadOrCreateStreamMetadata(paths, fingerprint);
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(await readFile(paths.metadata, "utf8"))).toEqual({ id: first.id, fingerprint });
    const again = await loadOrCreateStreamMetadata(paths, { ...fingerprint });
    expect(again).toEqual(first);
  });

  it("gives concurrent first starts the same id", async () => {
    const [a, b] = await Promise.all([loadOrCreateStreamMetadata(paths, fingerprint), loadOrCreateStreamMetadata(paths, fingerprint)]);
    expect(a.id).toBe(b.id);
  });

  it("refuses a restart with different sources", async () => {
    await loadOrCreateStreamMetadata(paths, fingerprint);
    const changed = { ...fingerprint, sources: ["json[/in]", "rate"] };
    await expect(loadOrCreateStreamMetadata(paths, changed)).rejects.toThrow(StateError);
    await expect(loadOrCreateStreamMetadata(paths, changed)).rejects.toThrow(
      `checkpoint at ${paths.root} was written by a query with sources [json[/in]] but this query has [json[/in], rate]`,
    );
  });

  it("refuses a restart with different stateful operators", async () => {
    await loadOrCreateStreamMetadata(paths, fingerprint);
    await expect(loadOrCreateStreamMetadata(paths, { ...fingerprint, statefulOperators: [] })).rejects.toThrow(
      "stateful operators [StatefulAggregate[word]] but this query has []",
    );
  });

  it("accepts a metadata file written by Spark (no fingerprint)", async () => {
    await writeFile(paths.metadata, '{"id":"5a1d3c2e-0000-4000-8000-000000000001"}');
    const meta = await loadOrCreateStreamMetadata(paths, fingerprint);
    expect(meta).toEqual({ id: "5a1d3c2e-0000-4000-8000-000000000001", fingerprint });
  });

  it("reports a corrupt metadata file", async () => {
    await writeFile(paths.metadata, "{oops");
    await expect(loadOrCreateStreamMetadata(paths, fingerprint)).rejects.toThrow(`checkpoint metadata file ${paths.metadata} is not valid JSON`);
  });
});

it("describeFingerprintMismatch lists both differences", () => {
  expect(describeFingerprintMismatch("/cp", fingerprint, fingerprint)).toBeNull();
  expect(describeFingerprintMismatch("/cp", fingerprint, { sources: ["a"], statefulOperators: ["b"] })).toBe(
    "[STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA] checkpoint at /cp was written by a query with sources [json[/in]] but this query has [a]; " +
      "and with stateful operators [StatefulAggregate[word]] but this query has [b]. " +
      "A checkpoint can only be restarted by the same query; use a new checkpoint location for a changed query",
  );
});
