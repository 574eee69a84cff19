import { ConfKeys, type RuntimeConfig } from "../common/config.ts";

/**
 * The session time zone's offset from UTC in minutes (now): "UTC", "+02:00", "GMT-5", or
 * an IANA name such as "Europe/Paris" resolved through Intl.
 */
export function timeZoneOffsetMinutes(conf: RuntimeConfig, at = Date.now()): number {
  const tz = (conf.get(ConfKeys.sessionTimeZone) ?? "UTC").trim();
  if (/^(UTC|GMT|Z)$/i.test(tz)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (m) return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(new Date(at));
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const o = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    return o ? (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3] ?? 0)) : 0;
  } catch {
    return 0;
  }
}
