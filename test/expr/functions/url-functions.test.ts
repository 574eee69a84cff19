import { describe, expect, it } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("url-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);
const URL = "http://user:pw@spark.apache.org:8080/path/p?query=1&k=v#frag";

describe("url functions", () => {
  it("url_encode and url_decode are Java's form encoding", async () => {
    expect(await values("SELECT url_encode('https://spark.apache.org'), url_encode('a b+c/é'), url_decode('https%3A%2F%2Fspark.apache.org'), url_decode('a+b%C3%A9')"))
      .toEqual(["https%3A%2F%2Fspark.apache.org", "a+b%2Bc%2F%C3%A9", "https://spark.apache.org", "a bé"]);
    await expect(spark.sql("SELECT url_decode('%2')").collect()).rejects.toThrow(/CANNOT_DECODE_URL/);
  });

  it("parse_url returns each part, a query key, null for a bad URL or part", async () => {
    const parts = ["HOST", "PATH", "QUERY", "REF", "PROTOCOL", "FILE", "AUTHORITY", "USERINFO", "NOPE"];
    expect(await values(`SELECT ${parts.map((p) => `parse_url('${URL}', '${p}')`).join(", ")}`))
      .toEqual(["spark.apache.org", "/path/p", "query=1&k=v", "frag", "http", "/path/p?query=1&k=v", "user:pw@spark.apache.org:8080", "user:pw", null]);
    expect(await values(`SELECT parse_url('${URL}', 'QUERY', 'k'), parse_url('${URL}', 'QUERY', 'x'), parse_url('http://a b', 'HOST')`)).toEqual(["v", null, null]);
  });

  it("the DataFrame forms", async () => {
    expect(await spark.sql(`SELECT '${URL}' AS u`).select(F.parse_url("u", F.lit("HOST")).alias("h"), F.url_encode("u").alias("e")).collect())
      .toEqual([{ h: "spark.apache.org", e: "http%3A%2F%2Fuser%3Apw%40spark.apache.org%3A8080%2Fpath%2Fp%3Fquery%3D1%26k%3Dv%23frag" }]);
  });
});
