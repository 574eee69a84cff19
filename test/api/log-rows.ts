/** Six web-log rows (one null action, one null bytes) the batch DataFrame suites share. */
export const LOG_DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes LONG";
export const t = (hms: string): Date => new Date(`2026-01-01T${hms}Z`);

export const LOG_ROWS = [
  { time: t("10:05:00"), action: "click", url: "/home/a", userId: "u1", bytes: 100 },
  { time: t("10:20:00"), action: "view", url: "/shop/b", userId: "u2", bytes: 250 },
  { time: t("10:59:59"), action: "click", url: "/home/c", userId: "u2", bytes: 50 },
  { time: t("11:00:00"), action: "buy", url: "/shop/d", userId: "u1", bytes: 1000 },
  { time: t("11:30:00"), action: "view", url: "/home/e", userId: "u3", bytes: null },
  { time: t("12:15:00"), action: null, url: "/other", userId: "u3", bytes: 10 },
];

/** Rows as sorted JSON lines (dates as ISO strings, bigints marked): an order-free comparison. */
export const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? `${v}n` : v))).sort();
