import { describe, expect, it } from "vitest";
import { InvalidNumberFormat, NumberFormat } from "../../../src/expr/functions/number-format.ts";
import { Session, col, to_char, to_number, try_to_number, to_varchar } from "../../../src/index.ts";

const parse = (input: string, format: string): bigint | null => new NumberFormat(format).parse(input);
const render = (value: string, format: string): string => {
  const [int, frac = ""] = value.split(".");
  return new NumberFormat(format).format(BigInt(int! + frac), frac.length);
};

describe("number formats (Spark's ToNumberParser rules)", () => {
  it("reads precision and scale from the digits of the format", () => {
    expect([new NumberFormat("99G999D9S").precision, new NumberFormat("99G999D9S").scale]).toEqual([6, 1]);
    expect([new NumberFormat("$99.99").precision, new NumberFormat("$99.99").scale]).toEqual([4, 2]);
    expect([new NumberFormat(".9999").precision, new NumberFormat(".9999").scale]).toEqual([4, 4]);
  });

  it("parses: a leading 0 run needs that many digits, a 9 run at most that many", () => {
    expect(parse("454", "999")).toBe(454n);
    expect(parse("54", "999")).toBe(54n);
    expect(parse("54", "000")).toBeNull();
    expect(parse("1234", "999")).toBeNull();
    expect(parse("454.2", "999.99")).toBe(45420n);
    expect(parse("12,454,367", "99G999G999")).toBe(12454367n);
    expect(parse("12454", "99,999")).toBeNull();
    expect(parse("$78.12", "$99.99")).toBe(7812n);
    expect(parse("78.12", "$99.99")).toBeNull();
    expect(parse("12,454.8-", "99G999D9S")).toBe(-124548n);
    expect(parse("-454", "MI999")).toBe(-454n);
    expect(parse("<454>", "999PR")).toBe(-454n);
    expect(parse("<454", "999PR")).toBeNull();
    expect(parse(" 12 ", "999")).toBe(12n);
    expect(parse("", "999")).toBeNull();
  });

  it("formats, padding absent digits with spaces (0 gives zeros) and # on overflow", () => {
    expect(render("454", "999")).toBe("454");
    expect(render("454.00", "000D00")).toBe("454.00");
    expect(render("12454", "99G999")).toBe("12,454");
    expect(render("78.12", "$99.99")).toBe("$78.12");
    expect(render("-12454.8", "99G999D9S")).toBe("12,454.8-");
    expect(render("12454.8", "99G999D9S")).toBe("12,454.8+");
    expect(render("-12454.8", "99G999D9PR")).toBe("<12,454.8>");
    expect(render("-12454.8", "99G999D9MI")).toBe("12,454.8-");
    expect(render("5", "0000")).toBe("0005");
    expect(render("-5", "S9999")).toBe("   -5");
    expect(render("1.5", "99.999")).toBe(" 1.500");
    expect(render("454", "9")).toBe("#");
    expect(render("0.5", "9.9")).toBe("0.5");
  });

  it("rejects bad formats with Spark's INVALID_FORMAT subclasses", () => {
    const subclass = (f: string): string => {
      try { new NumberFormat(f); return "ok"; } catch (e) { return (e as InvalidNumberFormat).subclass; }
    };
    expect(subclass("")).toBe("EMPTY");
    expect(subclass("$")).toBe("WRONG_NUM_DIGIT");
    expect(subclass("9$9")).toBe("CUR_MUST_BEFORE_DIGIT");
    expect(subclass("9.9$9")).toBe("CUR_MUST_BEFORE_DIGIT");
    expect(subclass("99,,9")).toBe("CONT_THOUSANDS_SEPS");
    expect(subclass("9.9,9")).toBe("THOUSANDS_SEPS_MUST_BEFORE_DEC");
    expect(subclass("9.9.9")).toBe("WRONG_NUM_TOKEN");
    expect(subclass("9S9")).toBe("UNEXPECTED_TOKEN");
    expect(subclass("a99")).toBe("UNEXPECTED_TOKEN");
    expect(subclass("$S99")).toBe("UNEXPECTED_TOKEN");
    expect(subclass("S$99,999.99PR")).toBe("ok");
    expect(subclass("MI$99,999.99")).toBe("ok");
  });
});

describe("to_number / try_to_number / to_char / to_varchar in SQL and the DataFrame API", () => {
  const spark = Session.builder().appName("number-format").getOrCreate().newSession();

  it("gives DECIMALs by the format; to_number fails on unmatched input, try_to_number gives NULL", async () => {
    const df = spark.sql("SELECT * FROM VALUES ('12,454.8-', 1234.5), ('x', -0.25), (NULL, NULL) AS t(s, d)");
    const out = df.select(try_to_number(col("s"), "99G999D9S").as("n"), to_char(col("d"), "9999D99S").as("c"), to_varchar("d", "0000.00").as("v"));
    expect(out.schema.simpleString()).toBe("struct<n:decimal(6,1),c:string,v:string>");
    const rows = (await out.collect()).map((r) => [String(r.n), r.c, r.v]);
    expect(rows).toEqual([["-12454.8", "1234.50+", "1234.50"], ["null", "   0.25-", "0000.25"], ["null", null, null]]);
    await expect(spark.sql("SELECT to_number(s, '999') FROM VALUES ('1234') AS t(s)").collect()).rejects.toThrow(
      "[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: '999'. The input \"STRING\" 1234 does not match the format.",
    );
    expect(() => spark.sql("SELECT to_number('1', '9.9.9')")).toThrow("[INVALID_FORMAT.WRONG_NUM_TOKEN]");
    expect(() => spark.sql("SELECT 1").select(to_number(col("1"), col("1")))).toThrow("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT]");
  });
});
