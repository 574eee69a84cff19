import { ConnectorError } from "../../common/errors.ts";
import { typeName, type StructType } from "../../types/data-types.ts";

/** Where the NATS sink finds each part of a message in its input rows (column indexes, -1 when absent). */
export interface NatsSinkColumns {
  readonly value: number;
  readonly subject: number;
  readonly headers: number;
}

/**
 * Checks the input columns as Spark's Kafka sink does: `value` (STRING or BINARY) is
 * required; `subject` (STRING) and `headers` (MAP<STRING, STRING>) are optional; a subject
 * comes from the option or the column; any other column is refused by name.
 */
export function natsSinkColumns(schema: StructType, subjectOption: string | undefined): NatsSinkColumns {
  const index = (name: string): number => schema.fields.findIndex((f) => f.name.toLowerCase() === name);
  const extra = schema.fields.filter((f) => !["value", "subject", "headers"].includes(f.name.toLowerCase()));
  if (extra.length > 0) {
    throw new ConnectorError(`NATS sink: column ${extra.map((f) => `'${f.name}'`).join(", ")} is not a message part; the sink writes columns value, subject and headers only (select or drop the others)`);
  }
  const value = index("value");
  if (value < 0) throw new ConnectorError("NATS sink: Required attribute 'value' not found");
  const valueType = schema.fields[value]!.dataType;
  if (valueType.kind !== "string" && valueType.kind !== "binary") {
    throw new ConnectorError(`NATS sink: value attribute type must be a STRING or BINARY, not ${typeName(valueType)}`);
  }
  const subject = index("subject");
  if (subject >= 0 && schema.fields[subject]!.dataType.kind !== "string") {
    throw new ConnectorError(`NATS sink: subject attribute type must be a STRING, not ${typeName(schema.fields[subject]!.dataType)}`);
  }
  if (subject < 0 && subjectOption === undefined) {
    throw new ConnectorError("NATS sink: subject option required when no 'subject' attribute is present. Use the subject option for setting a subject.");
  }
  const headers = index("headers");
  const headersType = headers < 0 ? null : schema.fields[headers]!.dataType;
  if (headersType !== null && (headersType.kind !== "map" || headersType.keyType.kind !== "string" || headersType.valueType.kind !== "string")) {
    throw new ConnectorError(`NATS sink: headers attribute type must be a MAP<STRING, STRING>, not ${typeName(headersType)}`);
  }
  return { value, subject: subjectOption === undefined ? subject : -1, headers };
}
