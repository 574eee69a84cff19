import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { checkStateSchemaCompatible, stateTypesCompatible } from "../../src/checkpoint/state-schema-compatibility.ts";
import { readStateSchemaFile, writeStateSchemaFile, type OperatorStateSchema } from "../../src/checkpoint/state-schema-file.ts";
import { StateError } from "../../src/common/errors.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { ArrayType, DecimalType, IntegerType, LongType, MapType, StringType, StructType } from "../../src/types/data-types.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

const struct = (...fields: [string, StructType["fields"][number]["dataType"], boolean][]): StructType =>
  new StructType(fields.map(([name, dataType, nullable]) => ({ name, dataType, nullable })));

describe("Spark's rule (equalsIgnoreNameAndCompatibleNullability, new against stored)", () => {
  it("compares types position by position and ignores names, nested ones too", () => {
    expect(stateTypesCompatible(parseSchema("k STRING, n BIGINT"), parseSchema("key STRING, total BIGINT"))).toBe(true);
    expect(stateTypesCompatible(parseSchema("w STRUCT<start: TIMESTAMP, end: TIMESTAMP>"), parseSchema("w STRUCT<s: TIMESTAMP, e: TIMESTAMP>"))).toBe(true);
    expect(stateTypesCompatible(parseSchema("k STRING"), parseSchema("k INT"))).toBe(false);
    expect(stateTypesCompatible(parseSchema("a INT, b STRING"), parseSchema("b STRING, a INT"))).toBe(false);
    expect(stateTypesCompatible(parseSchema("a INT"), parseSchema("a BIGINT"))).toBe(false);
    expect(stateTypesCompatible(parseSchema("d DECIMAL(10,2)"), parseSchema("d DECIMAL(12,2)"))).toBe(false);
    expect(stateTypesCompatible(parseSchema("m MAP<STRING, ARRAY<INT>>"), parseSchema("m MAP<STRING, ARRAY<INT>>"))).toBe(true);
  });

  it("the same number of fields", () => {
    expect(stateTypesCompatible(parseSchema("k STRING"), parseSchema("k STRING, v INT"))).toBe(false);
    expect(stateTypesCompatible(parseSchema("k STRING, v INT"), parseSchema("k STRING"))).toBe(false);
  });

  it("nothing may become nullable that was stored as never null; the other way is fine", () => {
    expect(stateTypesCompatible(struct(["n", LongType, false]), struct(["n", LongType, true]))).toBe(false);
    expect(stateTypesCompatible(struct(["n", LongType, true]), struct(["n", LongType, false]))).toBe(true);
    expect(stateTypesCompatible(struct(["a", ArrayType(IntegerType, false), true]), struct(["a", ArrayType(IntegerType, true), true]))).toBe(false);
    expect(stateTypesCompatible(struct(["m", MapType(StringType, IntegerType, true), true]), struct(["m", MapType(StringType, IntegerType, false), true]))).toBe(true);
  });
});

describe("checkStateSchemaCompatible", () => {
  const aggregation = (key: string, value: string): OperatorStateSchema => ({
    operatorId: 2, operatorName: "StatefulAggregate", stores: [{ storeName: "default", keySchema: parseSchema(key), valueSchema: parseSchema(value) }],
  });

  it("checks the key first, then the value, and names the operator and both schemas", () => {
    expect(checkStateSchemaCompatible("/cp", aggregation("k STRING", "n BIGINT"), aggregation("key STRING", "count BIGINT"))).toBeNull();
    const key = checkStateSchemaCompatible("/cp", aggregation("k STRING", "n BIGINT"), aggregation("k INT", "n DOUBLE"))!;
    expect(key).toBeInstanceOf(StateError);
    expect(key.errorClass).toBe("STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE");
    expect(key.message).toMatch(/^\[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE\] Provided key schema does not match existing state key schema of operator 2 \(StatefulAggregate\) in the checkpoint \/cp\. /);
    expect(key.message).toContain("Existing key_schema=StructType(StructField(k,string,true)) and new key_schema=StructType(StructField(k,int,true))");
    expect(key.message).toContain("spark.sql.streaming.stateStore.stateSchemaCheck");
    const value = checkStateSchemaCompatible("/cp", aggregation("k STRING", "n BIGINT"), aggregation("k STRING", "n DOUBLE"))!;
    expect(value.errorClass).toBe("STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE");
    expect([value.storedSchema, value.newSchema]).toEqual(["StructType(StructField(n,bigint,true))", "StructType(StructField(n,double,true))"]);
  });

  it("matches stores by name and says which one", () => {
    const join = (leftKey: string): OperatorStateSchema => ({
      operatorId: 0, operatorName: "StreamingSymmetricHashJoin",
      stores: [
        { storeName: "left", keySchema: parseSchema(leftKey), valueSchema: parseSchema("id INT, x STRING") },
        { storeName: "right", keySchema: parseSchema("field0 INT"), valueSchema: parseSchema("id INT, y STRING") },
      ],
    });
    expect(checkStateSchemaCompatible("/cp", join("field0 INT"), join("field0 STRING"))!.message).toContain("operator 0 (StreamingSymmetricHashJoin, store left)");
  });
});

describe("the schema file state/<operatorId>/_metadata/schema", () => {
  it("keeps names, types and nested nullability; a version line first; written once", async () => {
    const paths = new CheckpointPaths(await tempDir("state-schema-file-"));
    expect(await readStateSchemaFile(paths, 1)).toBeNull();
    const schema: OperatorStateSchema = {
      operatorId: 1, operatorName: "StatefulAggregate",
      stores: [{
        storeName: "default",
        keySchema: struct(["window", struct(["start", LongType, false], ["end", LongType, true]), true], ["`odd` name", StringType, false]),
        valueSchema: struct(["sum(v)", struct(["sum", DecimalType(20, 2), true], ["count", LongType, false]), true], ["xs", ArrayType(IntegerType, false), true]),
      }],
    };
    await writeStateSchemaFile(paths, schema);
    const text = await readFile(paths.stateSchema(1), "utf8");
    expect(text.startsWith("v1\n")).toBe(true);
    const read = await readStateSchemaFile(paths, 1);
    expect(read!.stores[0]!.keySchema.toString()).toBe(schema.stores[0]!.keySchema.toString());
    expect(read!.stores[0]!.valueSchema.toString()).toBe(schema.stores[0]!.valueSchema.toString());
    expect(read!.stores[0]!.keySchema.fields[0]!.dataType).toEqual(schema.stores[0]!.keySchema.fields[0]!.dataType);
    expect(read!.stores[0]!.valueSchema.fields[1]!.dataType).toEqual(ArrayType(IntegerType, false));
    expect(checkStateSchemaCompatible(paths.root, read!, schema)).toBeNull();
    // The first schema stays: a second write does not replace it.
    await writeStateSchemaFile(paths, { ...schema, operatorName: "Other" });
    expect(await readFile(paths.stateSchema(1), "utf8")).toBe(text);
  });

  it("refuses a version it does not know and a damaged file", async () => {
    const paths = new CheckpointPaths(await tempDir("state-schema-file-"));
    await mkdir(dirname(paths.stateSchema(0)), { recursive: true });
    await writeFile(paths.stateSchema(0), "v9\n{}\n");
    await expect(readStateSchemaFile(paths, 0)).rejects.toThrow(/state schema file .*schema has version 'v9'; this rivulet reads v1/);
    await writeFile(paths.stateSchema(0), "v1\n{oops\n");
    await expect(readStateSchemaFile(paths, 0)).rejects.toThrow(StateError);
  });
});
