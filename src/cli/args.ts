import { parseArgs } from "node:util";
import { UsageError } from "./exit-codes.ts";

/** One option of a command, for parsing and for `--help`. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown in help as `--name <value>`. */
  readonly value?: string;
  readonly description: string;
}

/** A subcommand's interface: what `--help` prints and what the parser accepts. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** One line for `rivulet --help`. */
  readonly brief: string;
  /** `rivulet <name> <usage>`. */
  readonly usage: string;
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "show this help" },
  verbose: { type: "boolean", short: "v", description: "log more, and show stack traces of errors" },
};

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

export function usageLine(spec: CommandSpec): string {
  return `usage: rivulet ${spec.name} ${spec.usage}`.trimEnd();
}

export function helpText(spec: CommandSpec): string {
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` <${o.value ?? "value"}>` : ""}`;
    return [flag, o.description + (o.multiple ? " (repeatable)" : "")] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    usageLine(spec),
    "",
    spec.summary,
    ...(spec.details ? ["", spec.details] : []),
    "",
    "Options:",
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
  ].join("\n") + "\n";
}

/** Parses a command's arguments strictly: an unknown option or a missing value is a UsageError. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries({ ...spec.options, ...COMMON_OPTIONS }).map(([name, o]) => [
    name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
  ]));
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(message, usageLine(spec));
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** `--conf key=value` pairs. */
export function confPairs(args: ParsedArgs, spec: CommandSpec): [string, string][] {
  return listOption(args, "conf").map((kv) => {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--conf expects key=value, not '${kv}'`, usageLine(spec));
    return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
  });
}

/** A port number option (0 = any free port). */
export function portOption(args: ParsedArgs, name: string, spec: CommandSpec): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--${name} expects a port number (0 for any free port), not '${text}'`, usageLine(spec));
  return n;
}

export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T, spec: CommandSpec): T {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, not '${text}'`, usageLine(spec));
  return text as T;
}
