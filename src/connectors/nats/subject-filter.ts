/**
 * NATS subject filters (`events.>`, `alerts.*`): `*` matches one token, `>` one or more
 * trailing tokens. The server filters when there is one; with several (which a server
 * before 2.10 cannot take on one consumer) the source tests each message here.
 */
export class SubjectFilter {
  readonly #patterns: readonly string[][];

  constructor(readonly filters: readonly string[]) {
    this.#patterns = filters.map((f) => f.split("."));
  }

  /** Whether the filter takes every subject (no filters given). */
  get matchesAll(): boolean {
    return this.filters.length === 0;
  }

  matches(subject: string): boolean {
    if (this.matchesAll) return true;
    const tokens = subject.split(".");
    return this.#patterns.some((p) => matchTokens(p, tokens));
  }
}

function matchTokens(pattern: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === ">") return tokens.length > i;
    if (i >= tokens.length) return false;
    if (p !== "*" && p !== tokens[i]) return false;
  }
  return pattern.length === tokens.length;
}
