import { StructType, type DataType } from "../types/data-types.ts";

/** One column visible to expressions: the output of a plan node, with its table qualifier. */
export interface InputColumn {
  readonly name: string;
  readonly qualifier: string | null;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** More qualifiers the column answers to: a USING join's key is `t1.k` and `t2.k`. */
  readonly alsoQualifiedBy?: readonly string[];
}

export type Scope = readonly InputColumn[];

export function scopeOf(schema: StructType, qualifier: string | null = null): Scope {
  return schema.fields.map((f) => ({ name: f.name, qualifier, dataType: f.dataType, nullable: f.nullable }));
}

export function schemaOf(scope: Scope): StructType {
  return new StructType(scope.map((c) => ({ name: c.name, dataType: c.dataType, nullable: c.nullable })));
}
