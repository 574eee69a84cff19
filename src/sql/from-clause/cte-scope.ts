import type { LogicalPlan } from "../../plan/logical-plan.ts";

/** CTEs visible at a point of the query (inner WITH shadows outer). */
export class CteScope {
  constructor(readonly parent: CteScope | null, readonly name: string, readonly plan: LogicalPlan) {}
  lookup(name: string): LogicalPlan | null {
    for (let s: CteScope | null = this; s !== null; s = s.parent) {
      if (s.name.toLowerCase() === name.toLowerCase()) return s.plan;
    }
    return null;
  }
  names(): string[] {
    const out: string[] = [];
    for (let s: CteScope | null = this; s !== null; s = s.parent) out.push(s.name);
    return out;
  }
}

export type Scope = CteScope | null;
