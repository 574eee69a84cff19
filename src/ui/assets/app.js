// The rivulet web UI: the query list and the selected query's live charts, fed by /events.
import { formatDateTime, formatNumber, lineChart, planGraph, stackedBars } from "./charts.js";

const PHASES = [
  { key: "latestOffset", label: "latestOffset", color: "#94a3b8" },
  { key: "walCommit", label: "walCommit", color: "#a78bfa" },
  { key: "getBatch", label: "getBatch", color: "#60a5fa" },
  { key: "addBatch", label: "addBatch", color: "#f59e0b" },
  { key: "commitOffsets", label: "commit", color: "#34d399" },
];

const $ = (id) => document.getElementById(id);
const queries = new Map(); // runId → summary
let selected = null; // { runId, record }
let redrawPending = false;

function selectFromHash() {
  const runId = decodeURIComponent(location.hash.slice(1));
  return runId && queries.has(runId) ? runId : null;
}

/** "active", "active (idle)", "waiting for the sink", "stopped", "failed". */
function stateText(q) {
  if (q.state !== "active") return q.state;
  if (q.waiting) return "waiting for the sink";
  return q.idle ? "active (idle)" : "active";
}

function renderList() {
  const body = $("queries").tBodies[0];
  body.replaceChildren();
  const list = [...queries.values()].sort((a, b) => (b.state === "active") - (a.state === "active") || b.startedAt.localeCompare(a.startedAt));
  $("no-queries").hidden = list.length > 0;
  for (const q of list) {
    const tr = document.createElement("tr");
    tr.dataset.queryId = q.id;
    tr.dataset.runId = q.runId;
    if (selected && selected.runId === q.runId) tr.className = "selected";
    const state = stateText(q);
    for (const v of [q.name, state, formatNumber(q.batches), formatNumber(q.totalRowsWritten), formatDateTime(Date.parse(q.startedAt))]) {
      const td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    }
    tr.children[1].className = "state-cell " + (q.state === "active" && q.waiting ? "waiting" : q.state);
    if (q.state === "active" && q.waiting) tr.children[1].title = q.waiting;
    tr.addEventListener("click", () => { location.hash = encodeURIComponent(q.runId); });
    body.appendChild(tr);
  }
}

async function select(runId) {
  if (!runId) {
    const first = [...queries.values()].find((q) => q.state === "active") ?? [...queries.values()][0];
    if (!first) return;
    runId = first.runId;
  }
  const res = await fetch(`/api/queries/${encodeURIComponent(runId)}`);
  if (!res.ok) return;
  selected = { runId, record: await res.json() };
  renderList();
  renderDetail();
}

function renderDetail() {
  if (!selected) return;
  const r = selected.record;
  $("detail").hidden = false;
  $("q-name").textContent = r.name;
  $("q-state").textContent = stateText(r);
  $("q-state").title = r.state === "active" && r.waiting ? r.waiting : "";
  $("q-state").className = "state " + (r.state === "active" && r.waiting ? "waiting" : r.state);
  $("q-id").textContent = r.id;
  $("q-run").textContent = r.runId;
  const last = r.history[r.history.length - 1];
  $("t-batch").textContent = last ? String(last.batchId) : "-";
  $("t-input").textContent = last ? formatNumber(last.inputRowsPerSecond) : "-";
  $("t-processed").textContent = last ? formatNumber(last.processedRowsPerSecond) : "-";
  $("t-duration").textContent = last ? `${last.batchDuration} ms` : "-";
  $("t-watermark").textContent = last && last.watermark ? formatDateTime(last.watermark) : "-";
  $("t-state").textContent = last && last.stateRows != null ? formatNumber(last.stateRows) : "-";
  $("t-written").textContent = formatNumber(r.totalRowsWritten);
  $("error-box").hidden = !r.lastError;
  $("last-error").textContent = r.lastError ?? "";
  $("io").textContent = r.sources.length ? `sources: ${r.sources.join(", ")} → sink: ${r.sink ?? "-"}` : "";
  renderSources(r.sourceOffsets ?? []);
  drawCharts();
  planGraph($("plan"), r.plan);
}

/** Each source's offsets after the last batch and how many messages it is behind its input's end. */
function renderSources(sources) {
  $("sources-box").hidden = sources.length === 0;
  const body = $("sources").tBodies[0];
  body.replaceChildren();
  const offset = (o) => (o === null || o === undefined ? "-" : typeof o === "string" ? o : JSON.stringify(o));
  for (const s of sources) {
    const tr = document.createElement("tr");
    tr.dataset.source = s.description;
    for (const v of [s.description, offset(s.startOffset), offset(s.endOffset), offset(s.latestOffset), s.offsetsBehindLatest === null ? "-" : formatNumber(s.offsetsBehindLatest)]) {
      const td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    }
    tr.lastChild.className = "behind";
    body.appendChild(tr);
  }
}

function drawCharts() {
  const h = selected.record.history;
  lineChart($("chart-rates"), [
    { label: "input rows/s", color: "#2563eb", points: h.map((p) => [p.t, p.inputRowsPerSecond]) },
    { label: "processed rows/s", color: "#16a34a", points: h.map((p) => [p.t, p.processedRowsPerSecond]) },
  ]);
  stackedBars($("chart-duration"), h.map((p) => ({ x: p.batchId, parts: p.durationMs })), PHASES);
  lineChart($("chart-state"), [{ label: "state rows", color: "#f59e0b", points: h.map((p) => [p.t, p.stateRows]) }]);
  lineChart($("chart-eventtime"), [
    { label: "max event time", color: "#7c3aed", points: h.map((p) => [p.t, p.maxEventTime]) },
    { label: "watermark", color: "#dc2626", points: h.map((p) => [p.t, p.watermark]) },
  ], { zeroBased: false, yFormat: (v) => formatDateTime(v).slice(5, 16) });
  stackedBars($("chart-written"), h.map((p) => ({ x: p.batchId, parts: { rows: p.rowsWritten } })), [{ key: "rows", label: "rows written", color: "#0891b2" }]);
}

function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => { redrawPending = false; renderDetail(); });
}

function onEvent(type, e) {
  const q = e.query;
  queries.set(q.runId, q);
  renderList();
  if (!selected) { void select(selectFromHash()); return; }
  if (selected.runId !== q.runId) return;
  Object.assign(selected.record, q);
  if (type === "progress") {
    selected.record.history.push(e.point);
    if (selected.record.history.length > 600) selected.record.history.shift();
    if (!selected.record.plan) { void select(q.runId); return; }
  }
  scheduleRedraw();
}

function connect() {
  const source = new EventSource("/events");
  source.addEventListener("open", () => { $("connection").textContent = "live"; $("connection").className = "connection live"; });
  source.addEventListener("error", () => { $("connection").textContent = "reconnecting…"; $("connection").className = "connection"; });
  source.addEventListener("snapshot", (m) => {
    queries.clear();
    for (const q of JSON.parse(m.data)) queries.set(q.runId, q);
    renderList();
    void select(selected?.runId ?? selectFromHash());
  });
  for (const type of ["started", "progress", "idle", "waiting", "terminated"]) {
    source.addEventListener(type, (m) => onEvent(type, JSON.parse(m.data)));
  }
}

async function loadConfig() {
  const res = await fetch("/api/config");
  if (!res.ok) return;
  const body = $("config").tBodies[0];
  for (const [k, v] of Object.entries(await res.json()).sort()) {
    const tr = document.createElement("tr");
    for (const s of [k, v]) { const td = document.createElement("td"); td.textContent = s; tr.appendChild(td); }
    body.appendChild(tr);
  }
}

async function main() {
  const res = await fetch("/api/queries");
  const { appName, queries: list } = await res.json();
  $("app-name").textContent = appName;
  document.title = `rivulet — ${appName}`;
  for (const q of list) queries.set(q.runId, q);
  renderList();
  await select(selectFromHash());
  window.addEventListener("hashchange", () => void select(selectFromHash()));
  window.addEventListener("resize", () => selected && scheduleRedraw());
  connect();
  void loadConfig();
}

void main();
