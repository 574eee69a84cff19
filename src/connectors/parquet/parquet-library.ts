import { createRequire } from "node:module";

export type ParquetWasm = typeof import("parquet-wasm/node");

let loaded: ParquetWasm | null = null;

/**
 * parquet-wasm (arrow-rs's parquet crate in WebAssembly; Arrow IPC streams in and out),
 * loaded on first use: its node build compiles a 5 MB WebAssembly module synchronously
 * (~150 ms), which importing rivulet should not pay. Synchronous because Spark infers a
 * Parquet schema at `load()`, which is not async.
 */
export function parquetWasm(): ParquetWasm {
  if (loaded === null) loaded = createRequire(import.meta.url)("parquet-wasm/node") as ParquetWasm;
  return loaded;
}
