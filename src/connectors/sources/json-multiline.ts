import type { BatchAssembler } from "./batch-assembler.ts";
import { readInputBytes, withoutUtf8Bom } from "./compressed-input.ts";
import { isJsonDocumentError, splitJsonDocument } from "./json-document.ts";
import type { JsonLinesDecoder } from "./json-lines-decoder.ts";
import type { MalformedRecords } from "./parse-mode.ts";

/**
 * Reads one file with Spark's multiLine option (MultiLineJsonDataSource): the file is one
 * JSON value, each record goes through the JSON lines decoder on its own line (so values
 * convert as in JSON lines mode, and a record whose value does not fit its column is
 * malformed with the line it starts on). A file that is not valid JSON is one bad
 * record, as in Spark: in PERMISSIVE mode a row of nulls whose corrupt-record column holds
 * the whole file.
 */
export async function readJsonDocument(path: string, decoder: JsonLinesDecoder, out: BatchAssembler, malformed: MalformedRecords, corruptRecordColumn: string): Promise<void> {
  const bytes = withoutUtf8Bom(await readInputBytes(path));
  const doc = splitJsonDocument(bytes);
  if (isJsonDocumentError(doc)) {
    if (!malformed.report(path, doc.line, doc.reason)) return;
    const fields = decoder.outputSchema.fields;
    const corrupt = fields.findIndex((f) => f.name === corruptRecordColumn && f.dataType.kind === "string");
    fields.forEach((_, k) => {
      if (k === corrupt) out.builders[k]!.appendString(bytes.toString("utf8"));
      else out.builders[k]!.appendNull();
    });
    out.rowDone();
    return;
  }
  for (const r of doc.records) decoder.decodeLines(doc.text, r.start, r.end, path, r.line, out);
}
