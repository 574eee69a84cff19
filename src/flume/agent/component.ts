/** What an agent starts and stops: sources, channels and sinks (Flume's LifecycleAware). */
export interface AgentComponent {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Java regex `matches()` semantics (the whole name) for Flume's include/ignore patterns. */
export function wholeMatch(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, "s");
}
