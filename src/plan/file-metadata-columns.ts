import { nameParts, sameName } from "../common/identifiers.ts";
import { FileMetadataType, isFileMetadataColumn } from "../connectors/sources/file-metadata.ts";
import { Call, ColumnRef, GetField, anyNode, transformDown, type Expression } from "../expr/expression.ts";
import type { LogicalPlan, OutputColumn, Project, Scan } from "./logical-plan.ts";
import { exposeThroughJoin, exposeThroughUsingJoin, isUsingJoinProjection, type MetadataSides } from "./metadata-through-joins.ts";

/**
 * Spark's AddMetadataColumns for file scans: a file source's `_metadata` struct is hidden
 * (not in the schema, not in `*`) until an expression names it, or calls input_file_name(),
 * input_file_block_start() or input_file_block_length(). Then the file scan below is
 * re-made with the column, and the nodes between pass it up. As in Spark, it passes
 * through filters, sorts, limits, aliases and watermarks, not through a projection.
 */

/** The input-file functions, and the `_metadata` field each reads. */
const INPUT_FILE_FUNCTIONS: Readonly<Record<string, string>> = {
  input_file_name: "file_path",
  input_file_block_start: "file_block_start",
  input_file_block_length: "file_block_length",
};

function isInputFileCall(e: Expression): e is Call {
  return e.kind === "Call" && e.args.length === 0 && Object.hasOwn(INPUT_FILE_FUNCTIONS, e.name);
}

/** Whether `e` names `_metadata` (`_metadata`, `_metadata.file_name`, `t._metadata…`). */
function namesMetadata(e: Expression): boolean {
  if (e.kind !== "ColumnRef" || e.planOrigin !== undefined || (e.index >= 0 && e.dataType !== null)) return false;
  const parts = nameParts(e.name);
  return isFileMetadataColumn(parts[0]!) || (e.qualifier === null && parts.length > 1 && isFileMetadataColumn(parts[1]!));
}

/**
 * Which `_metadata` the expressions name: the qualifier of a qualified name (`a._metadata.file_name`
 * → a), each of several sides' (`a._metadata…`, `b._metadata…`), else null.
 */
function metadataSides(exprs: readonly Expression[]): MetadataSides {
  const found: string[] = [];
  for (const e of exprs) {
    anyNode(e, (x) => {
      if (!namesMetadata(x) || x.kind !== "ColumnRef") return false;
      const parts = nameParts(x.name);
      const qualifier = x.qualifier ?? (isFileMetadataColumn(parts[0]!) ? null : parts[0]!);
      if (qualifier !== null && !found.some((q) => sameName(q, qualifier))) found.push(qualifier);
      return false;
    });
  }
  return found.length === 0 ? null : found.length === 1 ? found[0]! : found;
}

function isMetadataColumn(c: OutputColumn): boolean {
  return isFileMetadataColumn(c.name) && c.dataType.kind === "struct" && c.dataType.toDDL() === FileMetadataType.toDDL();
}

/** Projections that only hide `_metadata` again above the filter or sort that read it. */
const hidingProjections = new WeakSet<LogicalPlan>();

/** `input`'s columns but `_metadata`, which a filter or a sort read, and which a later select may name again. */
export function hideMetadata(input: LogicalPlan, columns: readonly OutputColumn[]): LogicalPlan {
  const exprs = columns.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  const hiding = Object.freeze({ kind: "Project", input, exprs, output: columns, isStreaming: input.isStreaming }) satisfies Project;
  hidingProjections.add(hiding);
  return hiding;
}

/**
 * `input`, with the file scan below it reading `_metadata` (its last column); null when there
 * is no such scan. `qualifier` (`a` of `a._metadata`) picks the side of a join.
 */
export function exposeFileMetadata(input: LogicalPlan, qualifier: MetadataSides = null): LogicalPlan | null {
  if (input.output.some((c) => isFileMetadataColumn(c.name))) return input.output.some(isMetadataColumn) ? input : null;
  const passUp = (child: LogicalPlan | null, qualifier: string | null | undefined): OutputColumn[] | null => {
    if (child === null) return null;
    const added = child.output.slice(input.output.length);
    return [...input.output, ...added.map((c) => (qualifier === undefined ? c : { ...c, qualifier }))];
  };
  switch (input.kind) {
    case "Scan": {
      const provider = input.source.withFileMetadata?.();
      if (provider === undefined) return null;
      const output = provider.schema.fields.map((f) => ({ name: f.name, qualifier: null, dataType: f.dataType, nullable: f.nullable }));
      // Analysis runs before column pruning: the scan still reads every column, so the new one is appended.
      return Object.freeze({ ...input, source: provider, columns: output.map((_, i) => i), output }) satisfies Scan;
    }
    case "SubqueryAlias": {
      const child = exposeFileMetadata(input.input);
      const output = passUp(child, input.alias);
      return child === null || output === null ? null : Object.freeze({ ...input, input: child, output });
    }
    case "Filter": case "Sort": case "Limit": case "EventTimeWatermark": {
      const child = exposeFileMetadata(input.input, qualifier);
      const output = passUp(child, undefined);
      return child === null || output === null ? null : Object.freeze({ ...input, input: child, output });
    }
    case "Project":
      // The projection hideMetadata put over a node that read `_metadata`: that node carries it.
      if (hidingProjections.has(input)) return input.input;
      return isUsingJoinProjection(input) ? exposeThroughUsingJoin(input, qualifier, exposeFileMetadata) : null;
    case "Join": return exposeThroughJoin(input, qualifier, exposeFileMetadata);
    default:
      return null;
  }
}

/**
 * Before `exprs` are resolved against `input`: when they name `_metadata` or call an
 * input-file function and a file scan lies below, the input that carries the column and
 * the expressions with each input-file call reading its field. Otherwise unchanged: an
 * input-file call over another source gives Spark's "" or -1, and a `_metadata` name fails
 * to resolve as any unknown column does.
 */
export function withFileMetadata(input: LogicalPlan, exprs: readonly Expression[]): { input: LogicalPlan; exprs: readonly Expression[]; added: boolean } {
  const unchanged = { input, exprs, added: false };
  const calls = exprs.some((e) => anyNode(e, isInputFileCall));
  if (!calls && !exprs.some((e) => anyNode(e, namesMetadata))) return unchanged;
  if (!calls && input.output.some((c) => isFileMetadataColumn(c.name))) return unchanged;
  const exposed = exposeFileMetadata(input, metadataSides(exprs));
  if (exposed === null) return unchanged;
  const index = exposed.output.findIndex(isMetadataColumn);
  const column = exposed.output[index]!;
  const metadata = ColumnRef.bound(column.name, index, column.dataType, column.nullable, column.qualifier);
  const rewritten = !calls ? exprs : exprs.map((e) => transformDown(e, (x) => {
    if (!isInputFileCall(x)) return undefined;
    const field = INPUT_FILE_FUNCTIONS[x.name]!;
    return Call.create(x.name, [GetField.create(metadata, field, FileMetadataType.fields.find((f) => sameName(f.name, field))!.dataType)]);
  }));
  return { input: exposed, exprs: rewritten, added: exposed !== input };
}
