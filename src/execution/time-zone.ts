import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { zoneRules, type ZoneRules } from "../common/time-zone.ts";

/** The session time zone's rules (spark.sql.session.timeZone; UTC by default). */
export function sessionZone(conf: RuntimeConfig): ZoneRules {
  return zoneRules(conf.get(ConfKeys.sessionTimeZone) ?? "UTC");
}
