// Small hand-written SVG charts for the rivulet web UI (no framework, no CDN).
const NS = "http://www.w3.org/2000/svg";
const PAD = { left: 52, right: 10, top: 18, bottom: 20 };

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function text(parent, x, y, s, attrs = {}) {
  const t = el("text", { x, y, ...attrs }, parent);
  t.textContent = s;
  return t;
}

function size(svg) {
  const r = svg.getBoundingClientRect();
  return { w: Math.max(200, r.width || 400), h: Math.max(120, r.height || 180) };
}

export function formatNumber(n) {
  if (n == null || !Number.isFinite(n)) return "-";
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(2) + "G";
  if (a >= 1e6) return (n / 1e6).toFixed(2) + "M";
  if (a >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return Number.isInteger(n) || a >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

export function formatClock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

export function formatDateTime(ms) {
  return ms == null ? "-" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

function frame(svg, points, yMin, yMax, yFormat, xFormat) {
  svg.replaceChildren();
  const { w, h } = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.dataset.points = String(points);
  const x0 = PAD.left, x1 = w - PAD.right, y0 = h - PAD.bottom, y1 = PAD.top;
  const axis = el("g", { class: "axis" }, svg);
  el("line", { x1: x0, y1: y0, x2: x1, y2: y0, stroke: "#cbd5e1" }, axis);
  el("line", { x1: x0, y1: y0, x2: x0, y2: y1, stroke: "#cbd5e1" }, axis);
  for (const f of [0, 0.5, 1]) {
    const v = yMin + (yMax - yMin) * f;
    const y = y0 - (y0 - y1) * f;
    if (f > 0) el("line", { x1: x0, y1: y, x2: x1, y2: y, stroke: "#f1f5f9" }, axis);
    text(axis, x0 - 4, y + 3, yFormat(v), { "text-anchor": "end" });
  }
  return { x0, x1, y0, y1, axis, w, h, xFormat };
}

function legend(svg, items, x) {
  const g = el("g", { class: "legend" }, svg);
  let at = x;
  for (const { label, color } of items) {
    el("rect", { x: at, y: 4, width: 9, height: 9, fill: color }, g);
    const t = text(g, at + 12, 12, label);
    at += 22 + label.length * 6;
    void t;
  }
}

function noData(svg) {
  svg.replaceChildren();
  const { w, h } = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.dataset.points = "0";
  text(svg, w / 2, h / 2, "no batch yet", { "text-anchor": "middle" });
}

/**
 * Lines over time. series: [{ label, color, points: [[t, y|null], …] }].
 * opts: { yFormat, zeroBased }.
 */
export function lineChart(svg, series, opts = {}) {
  const all = series.flatMap((s) => s.points.filter((p) => p[1] != null));
  if (all.length === 0) return noData(svg);
  const yFormat = opts.yFormat ?? formatNumber;
  let yMin = opts.zeroBased === false ? Math.min(...all.map((p) => p[1])) : 0;
  let yMax = Math.max(...all.map((p) => p[1]));
  if (yMax === yMin) { yMax = yMin + (Math.abs(yMin) || 1); }
  const tMin = Math.min(...all.map((p) => p[0]));
  let tMax = Math.max(...all.map((p) => p[0]));
  if (tMax === tMin) tMax = tMin + 1000;
  const f = frame(svg, all.length, yMin, yMax, yFormat);
  const X = (t) => f.x0 + ((t - tMin) / (tMax - tMin)) * (f.x1 - f.x0);
  const Y = (v) => f.y0 - ((v - yMin) / (yMax - yMin)) * (f.y0 - f.y1);
  text(f.axis, f.x0, f.h - 6, formatClock(tMin));
  text(f.axis, f.x1, f.h - 6, formatClock(tMax), { "text-anchor": "end" });
  for (const s of series) {
    const pts = s.points.filter((p) => p[1] != null);
    if (pts.length === 0) continue;
    el("polyline", { points: pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(" "), fill: "none", stroke: s.color, "stroke-width": 1.6, class: "series" }, svg);
    if (pts.length < 60) for (const p of pts) el("circle", { cx: X(p[0]).toFixed(1), cy: Y(p[1]).toFixed(1), r: 2, fill: s.color }, svg);
  }
  legend(svg, series, f.x0 + 6);
}

/** Stacked bars per batch. bars: [{ x: batchId, parts: { phase: value } }]; phases: [{ key, label, color }]. */
export function stackedBars(svg, bars, phases, opts = {}) {
  if (bars.length === 0) return noData(svg);
  const total = (b) => phases.reduce((n, p) => n + (b.parts[p.key] ?? 0), 0);
  const yMax = Math.max(1, ...bars.map(total));
  const f = frame(svg, bars.length, 0, yMax, opts.yFormat ?? formatNumber);
  const slot = (f.x1 - f.x0) / bars.length;
  const bw = Math.max(1, Math.min(24, slot * 0.8));
  const Y = (v) => ((v / yMax) * (f.y0 - f.y1));
  bars.forEach((b, i) => {
    let y = f.y0;
    const x = f.x0 + i * slot + (slot - bw) / 2;
    for (const p of phases) {
      const v = b.parts[p.key] ?? 0;
      if (v <= 0) continue;
      const hgt = Y(v);
      y -= hgt;
      const r = el("rect", { x: x.toFixed(1), y: y.toFixed(1), width: bw.toFixed(1), height: Math.max(0.5, hgt).toFixed(1), fill: p.color }, svg);
      el("title", {}, r).textContent = `batch ${b.x} ${p.label}: ${formatNumber(v)}`;
    }
  });
  text(f.axis, f.x0, f.h - 6, `batch ${bars[0].x}`);
  text(f.axis, f.x1, f.h - 6, `batch ${bars[bars.length - 1].x}`, { "text-anchor": "end" });
  if (phases.length > 1) legend(svg, phases, f.x0 + 6);
}

/** The physical plan as boxes, root on top, children below, joined by lines. tree: { name, detail, children }. */
export function planGraph(svg, tree, statefulNames = /State|Aggregate|Dedup|Join|Limit/) {
  svg.replaceChildren();
  if (!tree) { svg.setAttribute("viewBox", "0 0 300 30"); text(svg, 8, 18, "not planned yet"); return; }
  const BW = 260, BH = 40, GX = 20, GY = 28;
  let nextLeaf = 0;
  const place = (n, depth) => {
    const kids = (n.children ?? []).map((c) => place(c, depth + 1));
    const x = kids.length === 0 ? nextLeaf++ : (kids[0].x + kids[kids.length - 1].x) / 2;
    return { n, depth, x, kids };
  };
  const root = place(tree, 0);
  let maxDepth = 0;
  const all = [];
  const walk = (p) => { all.push(p); maxDepth = Math.max(maxDepth, p.depth); p.kids.forEach(walk); };
  walk(root);
  const w = Math.max(1, nextLeaf) * (BW + GX) + GX, h = (maxDepth + 1) * (BH + GY) + GY;
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("width", w);
  svg.setAttribute("height", h);
  svg.dataset.nodes = String(all.length);
  const px = (p) => GX + p.x * (BW + GX), py = (p) => GY + p.depth * (BH + GY);
  for (const p of all) for (const k of p.kids) {
    el("path", { d: `M${px(p) + BW / 2},${py(p) + BH} C${px(p) + BW / 2},${py(p) + BH + GY / 2} ${px(k) + BW / 2},${py(k) - GY / 2} ${px(k) + BW / 2},${py(k)}` }, svg);
  }
  for (const p of all) {
    const g = el("g", { class: "op" + (statefulNames.test(p.n.name) ? " stateful" : ""), transform: `translate(${px(p)},${py(p)})` }, svg);
    el("rect", { width: BW, height: BH }, g);
    text(g, 8, 15, p.n.name, { class: "name" });
    const detail = p.n.detail.length > 46 ? p.n.detail.slice(0, 45) + "…" : p.n.detail;
    text(g, 8, 31, detail);
    el("title", {}, g).textContent = p.n.detail;
  }
}
