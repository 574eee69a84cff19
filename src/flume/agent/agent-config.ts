import { ConnectorError } from "../../common/errors.ts";

/** One source, channel or sink of an agent, with its own properties (keys after `<agent>.<kind>.<name>.`). */
export interface ComponentConfig {
  readonly kind: "source" | "channel" | "sink";
  readonly name: string;
  readonly type: string;
  readonly params: ComponentParams;
  /** Sources: the channels they put into; sinks: the one channel they take from. */
  readonly channels: readonly string[];
}

export interface AgentConfig {
  readonly name: string;
  readonly sources: readonly ComponentConfig[];
  readonly channels: readonly ComponentConfig[];
  readonly sinks: readonly ComponentConfig[];
}

/**
 * Flume's agent configuration from its properties: `a1.sources = r1`, `a1.channels = c1`,
 * `a1.sinks = k1`, then `a1.sources.r1.type = spooldir`, `a1.sources.r1.channels = c1`,
 * `a1.sinks.k1.channel = c1`, … Components that are not listed are ignored, as in Flume.
 */
export function agentConfigOf(properties: ReadonlyMap<string, string>, agent: string): AgentConfig {
  const prefix = `${agent}.`;
  const own = new Map<string, string>();
  for (const [k, v] of properties) if (k.startsWith(prefix)) own.set(k.slice(prefix.length), v.trim());
  if (own.size === 0) throw new ConnectorError(`agent configuration has no properties for agent '${agent}' (keys must start with '${prefix}')`);
  const names = (key: string): string[] => (own.get(key) ?? "").split(/\s+/).filter((n) => n !== "");
  const component = (kind: ComponentConfig["kind"], group: string, name: string): ComponentConfig => {
    const base = `${group}.${name}.`;
    const params = new Map<string, string>();
    for (const [k, v] of own) if (k.startsWith(base)) params.set(k.slice(base.length), v);
    const where = `${agent}.${group}.${name}`;
    const type = params.get("type");
    if (type === undefined || type === "") throw new ConnectorError(`${where}.type is not set`);
    const channels = kind === "source" ? (params.get("channels") ?? "").split(/\s+/).filter((c) => c !== "")
      : kind === "sink" ? [params.get("channel") ?? ""].filter((c) => c !== "") : [];
    if (kind === "source" && channels.length === 0) throw new ConnectorError(`${where}.channels is not set: name the channel(s) the source puts events into`);
    if (kind === "sink" && channels.length === 0) throw new ConnectorError(`${where}.channel is not set: name the channel the sink takes events from`);
    return { kind, name, type, params: new ComponentParams(where, params), channels };
  };
  const config: AgentConfig = {
    name: agent,
    sources: names("sources").map((n) => component("source", "sources", n)),
    channels: names("channels").map((n) => component("channel", "channels", n)),
    sinks: names("sinks").map((n) => component("sink", "sinks", n)),
  };
  const known = new Set(config.channels.map((c) => c.name));
  for (const c of [...config.sources, ...config.sinks]) {
    for (const ch of c.channels) {
      if (!known.has(ch)) throw new ConnectorError(`${agent}.${c.kind}s.${c.name} uses channel '${ch}', which is not in ${agent}.channels (${[...known].join(", ") || "none"})`);
    }
  }
  if (config.sources.length === 0 && config.sinks.length === 0) throw new ConnectorError(`agent '${agent}' has no sources and no sinks (set ${agent}.sources and ${agent}.sinks)`);
  return config;
}

/** A component's properties with typed getters whose errors name the full key. */
export class ComponentParams {
  constructor(readonly where: string, readonly values: ReadonlyMap<string, string>) {}

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  string(key: string, defaultValue: string): string {
    return this.values.get(key) ?? defaultValue;
  }

  required(key: string): string {
    const v = this.values.get(key);
    if (v === undefined || v === "") throw new ConnectorError(`${this.where}.${key} is required`);
    return v;
  }

  int(key: string, defaultValue: number, min = 0): number {
    const v = this.values.get(key);
    if (v === undefined) return defaultValue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new ConnectorError(`${this.where}.${key} must be an integer >= ${min}, not '${v}'`);
    return n;
  }

  boolean(key: string, defaultValue: boolean): boolean {
    const v = this.values.get(key)?.toLowerCase();
    if (v === undefined) return defaultValue;
    if (v === "true" || v === "false") return v === "true";
    throw new ConnectorError(`${this.where}.${key} must be true or false, not '${this.values.get(key)}'`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], defaultValue: T): T {
    const v = this.values.get(key);
    if (v === undefined) return defaultValue;
    const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (found === undefined) throw new ConnectorError(`${this.where}.${key} must be one of ${allowed.join(", ")}, not '${v}'`);
    return found;
  }
}
