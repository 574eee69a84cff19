// Parquet library choice (issue 17): hyparquet + hyparquet-writer against parquet-wasm, write and
// read of N rows of BIGINT, DOUBLE, STRING (dictionary), TIMESTAMP µs, DECIMAL(38,10), DATE, BOOLEAN with
// nulls, snappy; rounds interleaved; prints medians, file sizes and the values that test exactness.
// hyparquet is not a dependency of rivulet: run this in a scratch directory:
//   npm i hyparquet@1.31.5 hyparquet-writer@0.17.0 parquet-wasm@0.8.0 apache-arrow@21.2.0 && node parquet-library.mjs 1500000 3
import * as arrow from "apache-arrow";
import { performance } from "node:perf_hooks";
const N = Number(process.argv[2] ?? 1_500_000);
const ROUNDS = Number(process.argv[3] ?? 3);

let t0 = performance.now();
const pw = await import("parquet-wasm");
const tPw = performance.now() - t0;
t0 = performance.now();
const hp = await import("hyparquet");
const hw = await import("hyparquet-writer");
const tHp = performance.now() - t0;
console.log(`import: parquet-wasm ${tPw.toFixed(0)} ms, hyparquet+writer ${tHp.toFixed(0)} ms`);

// data
const MAXL = 2n ** 63n - 1n;
const ids = new BigInt64Array(N); const dbl = new Float64Array(N); const ts = new BigInt64Array(N);
const dec = new Array(N); const dates = new Int32Array(N); const bools = new Array(N); const strs = new Array(N);
const urls = Array.from({ length: 2000 }, (_, i) => `/page/${i}/index.html`);
for (let i = 0; i < N; i++) {
  ids[i] = i === 0 ? MAXL : BigInt(i) * 1_000_003n;
  dbl[i] = i * 0.1;
  ts[i] = 1_767_225_600_000_000n + BigInt(i) * 1_234_567n + 1n; // µs, odd micros
  dec[i] = i % 10 === 3 ? null : (i === 0 ? 10n ** 38n - 1n : BigInt(i) * 12345678901234567n);
  dates[i] = 20000 + (i % 3000);
  bools[i] = i % 7 === 0 ? null : i % 2 === 0;
  strs[i] = i % 11 === 0 ? null : urls[i % 2000];
}
const nullMask = (pred) => { const m = new Uint8Array(Math.ceil(N / 8)); for (let i = 0; i < N; i++) if (!pred(i)) m[i >> 3] |= 1 << (i & 7); return m; };

// arrow table (rivulet's representation)
function arrowTable() {
  const decBytes = new Uint32Array(N * 4);
  for (let i = 0; i < N; i++) { let v = dec[i] ?? 0n; if (v < 0n) v += 1n << 128n; for (let w = 0; w < 4; w++) { decBytes[i * 4 + w] = Number(v & 0xffffffffn); v >>= 32n; } }
  const dict = arrow.vectorFromArray(urls, new arrow.Utf8());
  const codes = new Int32Array(N); for (let i = 0; i < N; i++) codes[i] = i % 2000;
  const strType = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  const boolBits = new Uint8Array(Math.ceil(N / 8)); for (let i = 0; i < N; i++) if (bools[i]) boolBits[i >> 3] |= 1 << (i & 7);
  const cols = {
    id: arrow.makeData({ type: new arrow.Int64(), length: N, data: ids }),
    d: arrow.makeData({ type: new arrow.Float64(), length: N, data: dbl }),
    s: arrow.makeData({ type: strType, length: N, data: codes, nullBitmap: nullMask((i) => strs[i] === null), dictionary: dict }),
    ts: arrow.makeData({ type: new arrow.TimestampMicrosecond("UTC"), length: N, data: ts }),
    dec: arrow.makeData({ type: new arrow.Decimal(10, 38, 128), length: N, data: decBytes, nullBitmap: nullMask((i) => dec[i] === null) }),
    dt: arrow.makeData({ type: new arrow.DateDay(), length: N, data: dates }),
    b: arrow.makeData({ type: new arrow.Bool(), length: N, data: boolBits, nullBitmap: nullMask((i) => bools[i] === null) }),
  };
  return new arrow.Table(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, new arrow.Vector([v])])));
}

function pwWrite(table) {
  const ipc = arrow.tableToIPC(table, "stream");
  const wt = pw.Table.fromIPCStream(ipc);
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
  return pw.writeParquet(wt, props);
}
function pwRead(bytes) {
  const t = pw.readParquet(bytes);
  return arrow.tableFromIPC(t.intoIPCStream());
}
function hpWrite() {
  return new Uint8Array(hw.parquetWriteBuffer({
    columnData: [
      { name: "id", data: ids },
      { name: "d", data: dbl },
      { name: "s", data: strs },
      { name: "ts", data: ts },
      { name: "dec", data: dec },
      { name: "dt", data: dates },
      { name: "b", data: bools },
    ],
    schema: [
      { name: "root", num_children: 7 },
      { name: "id", type: "INT64", repetition_type: "OPTIONAL" },
      { name: "d", type: "DOUBLE", repetition_type: "OPTIONAL" },
      { name: "s", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      { name: "ts", type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" }, repetition_type: "OPTIONAL" },
      { name: "dec", type: "FIXED_LEN_BYTE_ARRAY", type_length: 16, converted_type: "DECIMAL", precision: 38, scale: 10, repetition_type: "OPTIONAL" },
      { name: "dt", type: "INT32", converted_type: "DATE", repetition_type: "OPTIONAL" },
      { name: "b", type: "BOOLEAN", repetition_type: "OPTIONAL" },
    ],
    codec: "SNAPPY",
    rowGroupSize: 131072,
  }));
}
async function hpRead(bytes) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const cols = {};
  await hp.parquetRead({ file, compressors: undefined, parsers: { timestampFromMicroseconds: (v) => v }, onChunk: (c) => { (cols[c.columnName] ??= []).push(c.columnData); } });
  return cols;
}

const table = arrowTable();
const res = { pw: { w: [], r: [] }, hp: { w: [], r: [] } };
let pwBytes, hpBytes, pwBack, hpBack;
for (let r = 0; r < ROUNDS; r++) {
  t0 = performance.now(); pwBytes = pwWrite(table); res.pw.w.push(performance.now() - t0);
  t0 = performance.now(); hpBytes = hpWrite(); res.hp.w.push(performance.now() - t0);
  t0 = performance.now(); pwBack = pwRead(pwBytes); res.pw.r.push(performance.now() - t0);
  t0 = performance.now(); hpBack = await hpRead(hpBytes); res.hp.r.push(performance.now() - t0);
}
const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(0);
console.log(`rows ${N}, rounds ${ROUNDS} (medians)`);
console.log(`parquet-wasm: write ${med(res.pw.w)} ms, read ${med(res.pw.r)} ms, file ${(pwBytes.length / 1e6).toFixed(1)} MB`);
console.log(`hyparquet:    write ${med(res.hp.w)} ms, read ${med(res.hp.r)} ms, file ${(hpBytes.length / 1e6).toFixed(1)} MB`);
// exactness
const pid = pwBack.getChild("id").get(0), pts = pwBack.getChild("ts").get(1), pdec = pwBack.getChild("dec").data[0];
console.log("parquet-wasm id[0]", pid, "ts[1]", pts, "types", pwBack.schema.fields.map((f) => `${f.name}:${f.type}`).join(" "));
const decWords = pwBack.getChild("dec").data[0].values; let v = 0n; for (let w = 3; w >= 0; w--) v = (v << 32n) | BigInt(decWords[w]); console.log("parquet-wasm dec[0] unscaled", v, v === 10n ** 38n - 1n);
const hid = hpBack.id[0][0], hts = hpBack.ts[0][1], hdec = hpBack.dec[0][0];
console.log("hyparquet id[0]", hid, hid === MAXL, "ts[1]", hts, hts === ts[1], "dec[0]", hdec, "dt[0]", hpBack.dt[0][0]);
