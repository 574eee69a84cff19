import { describe, expect, it } from "vitest";
import {
  ArrayType, IntegerType, LongType, MapType, StringType, StructType, TimestampType, sameType, typeName,
} from "../../src/types/data-types.ts";
import { parseDataType, parseSchema } from "../../src/types/ddl.ts";

describe("StructType.treeString (printSchema)", () => {
  it("prints atomic columns with printSchema's names and nested structs indented", () => {
    const s = parseSchema("id INT NOT NULL, bytes BIGINT, time TIMESTAMP, ok BOOLEAN, s STRUCT<x: STRING, y: DOUBLE>");
    expect(s.treeString()).toBe([
      "root",
      " |-- id: integer (nullable = false)",
      " |-- bytes: long (nullable = true)",
      " |-- time: timestamp (nullable = true)",
      " |-- ok: boolean (nullable = true)",
      " |-- s: struct (nullable = true)",
      " |    |-- x: string (nullable = true)",
      " |    |-- y: double (nullable = true)",
      "",
    ].join("\n"));
  });

  it("prints the fields of an array of structs under 'element'", () => {
    const s = parseSchema("events ARRAY<STRUCT<t: TIMESTAMP>>");
    expect(s.treeString()).toBe([
      "root",
      " |-- events: array (nullable = true)",
      " |    |-- element: struct (containsNull = true)",
      " |    |    |-- t: timestamp (nullable = true)",
      "",
    ].join("\n"));
  });

  it("prints the element of every array and the key and value of maps, as Spark does", () => {
    const s = parseSchema("tags ARRAY<STRING>, m MAP<STRING, BIGINT>");
    expect(s.treeString()).toBe([
      "root",
      " |-- tags: array (nullable = true)",
      " |    |-- element: string (containsNull = true)",
      " |-- m: map (nullable = true)",
      " |    |-- key: string",
      " |    |-- value: long (valueContainsNull = true)",
      "",
    ].join("\n"));
  });
});

describe("simpleString and toDDL", () => {
  it("simpleString uses Spark's catalog names", () => {
    const s = parseSchema("a INT, b BIGINT, c ARRAY<STRING>, d MAP<STRING, INT>, e STRUCT<`x y`: DATE>, f VOID");
    expect(s.simpleString()).toBe("struct<a:int,b:bigint,c:array<string>,d:map<string,int>,e:struct<`x y`:date>,f:void>");
    expect(typeName(LongType)).toBe("bigint");
  });

  it("simpleString parses back to the same type", () => {
    const s = parseSchema("a INT, s STRUCT<start: TIMESTAMP, inner: STRUCT<k: BIGINT>>, m MAP<STRING, ARRAY<INT>>");
    expect(sameType(parseDataType(s.simpleString()), s)).toBe(true);
  });

  it("toDDL prints upper-case types, NOT NULL and backquotes where needed", () => {
    expect(parseSchema("a int not null, b bigint, `user id` string").toDDL()).toBe("a INT NOT NULL, b BIGINT, `user id` STRING");
  });

  it("toDDL parses back to the same schema, nested field names included", () => {
    const s = parseSchema("id BIGINT NOT NULL, s STRUCT<start: TIMESTAMP, count: BIGINT>, tags ARRAY<STRING>");
    const back = parseSchema(s.toDDL());
    expect(back.fieldNames).toEqual(["id", "s", "tags"]);
    expect(back.fields.map((f) => f.nullable)).toEqual([false, true, true]);
    expect(sameType(back, s)).toBe(true);
    // Spark's DataType.sql: field names as written, "name: TYPE" inside STRUCT<...>.
    expect(s.toDDL()).toBe("id BIGINT NOT NULL, s STRUCT<start: TIMESTAMP, count: BIGINT>, tags ARRAY<STRING>");
  });
});

describe("StructType", () => {
  it("add() takes a type or a type name and returns a new struct", () => {
    const a = new StructType().add("x", IntegerType).add("y", "array<string>", false);
    expect(a.fieldNames).toEqual(["x", "y"]);
    expect(a.fields[1]).toEqual({ name: "y", dataType: ArrayType(StringType), nullable: false });
    expect(a.fieldIndex("y")).toBe(1);
    expect(a.fieldIndex("z")).toBe(-1);
    expect(a.length).toBe(2);
  });

  it("toString is Spark's StructType(StructField(...)) form", () => {
    expect(parseSchema("a INT NOT NULL, t TIMESTAMP").toString()).toBe("StructType(StructField(a,int,false),StructField(t,timestamp,true))");
  });

  it("sameType compares structure and names, not nullability", () => {
    expect(sameType(ArrayType(IntegerType, false), ArrayType(IntegerType, true))).toBe(true);
    expect(sameType(MapType(StringType, IntegerType), MapType(StringType, LongType))).toBe(false);
    expect(sameType(parseSchema("a INT"), parseSchema("b INT"))).toBe(false);
    expect(sameType(TimestampType, parseDataType("timestamp"))).toBe(true);
  });
});
