import { describe, expect, test } from "vitest";
import { ExecutionError, Session, aes_decrypt, aes_encrypt, col, try_aes_decrypt } from "../../src/index.ts";

// Spark 3.5's AES functions; the expected bytes are the ones Spark's own documentation and
// ExpressionImplUtilsSuite give, so rivulet's output decrypts in Spark and the other way round.
const spark = Session.builder().appName("aes-functions").getOrCreate();
const one = async (sql: string): Promise<unknown> => Object.values((await spark.sql(sql).collect())[0]!)[0];
const KEY32 = "abcdefghijklmnop12345678ABCDEFGH";
const AAD = "This is an AAD mixed into the input";

describe("aes_encrypt / aes_decrypt", () => {
  test("with a fixed IV, the bytes Spark writes (GCM with and without AAD, CBC)", async () => {
    expect(await one(`SELECT base64(aes_encrypt('Spark', '${KEY32}', 'GCM', 'DEFAULT', unhex('000000000000000000000000'), '${AAD}'))`))
      .toBe("AAAAAAAAAAAAAAAAQiYi+sTLm7KD9UcZ2nlRdYDe/PX4");
    expect(await one(`SELECT base64(aes_encrypt('Spark', '${KEY32}', 'GCM', 'DEFAULT', unhex('000000000000000000000000')))`))
      .toBe("AAAAAAAAAAAAAAAAQiYi+sRNYDAOTjdSEcYBFsAWPL1f");
    expect(await one(`SELECT base64(aes_encrypt('Spark', '${KEY32}', 'CBC', 'DEFAULT', unhex('00000000000000000000000000000000')))`))
      .toBe("AAAAAAAAAAAAAAAAAAAAAPSd4mWyMZ5mhvjiAPQJnfg=");
  });

  test("decrypts what Spark encrypted (ECB, GCM with AAD)", async () => {
    expect(await one("SELECT cast(aes_decrypt(unbase64('3lmwu+Mw0H3fi5NDvcu9lg=='), '1234567890abcdef', 'ECB', 'PKCS') AS STRING)")).toBe("Spark SQL");
    expect(await one(`SELECT cast(aes_decrypt(unbase64('AAAAAAAAAAAAAAAAQiYi+sTLm7KD9UcZ2nlRdYDe/PX4'), '${KEY32}', 'GCM', 'DEFAULT', '${AAD}') AS STRING)`)).toBe("Spark");
  });

  test("a random IV by default: two encryptions differ, both decrypt; the DataFrame functions", async () => {
    const df = spark.createDataFrame([{ secret: "card 4111" }], "secret STRING")
      .select(aes_encrypt("secret", "0000111122223333").as("a"), aes_encrypt("secret", "0000111122223333").as("b"), aes_encrypt("secret", "0000111122223333", "CBC").as("c"));
    const [row] = await df.collect();
    expect(Buffer.from(row!.a as Uint8Array).equals(Buffer.from(row!.b as Uint8Array))).toBe(false);
    const back = await df.select(
      aes_decrypt("a", "0000111122223333").cast("string").as("a"),
      aes_decrypt("b", "0000111122223333").cast("string").as("b"),
      aes_decrypt(col("c"), "0000111122223333", "CBC", "PKCS").cast("string").as("c"),
    ).collect();
    expect(back).toEqual([{ a: "card 4111", b: "card 4111", c: "card 4111" }]);
  });

  test("errors with Spark's classes; try_aes_decrypt gives null for what cannot be decrypted", async () => {
    await expect(one("SELECT aes_encrypt('x', 'short')")).rejects.toThrow(/\[INVALID_PARAMETER_VALUE\.AES_KEY_LENGTH\].*got 5 bytes/);
    await expect(one("SELECT aes_encrypt('x', '0000111122223333', 'GCM', 'PKCS')")).rejects.toThrow("[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-GCM with the padding PKCS by the aes_encrypt function.");
    await expect(one("SELECT aes_encrypt('x', '0000111122223333', 'ECB', 'PKCS', unhex('00'))")).rejects.toThrow(/AES_MODE_IV/);
    await expect(one("SELECT aes_encrypt('x', '0000111122223333', 'GCM', 'DEFAULT', unhex('00'))")).rejects.toThrow(/AES_IV_LENGTH.*12-byte/);
    const wrongKey = `SELECT aes_decrypt(unbase64('AAAAAAAAAAAAAAAAQiYi+sTLm7KD9UcZ2nlRdYDe/PX4'), '${KEY32.toLowerCase()}', 'GCM', 'DEFAULT', '${AAD}')`;
    await expect(one(wrongKey)).rejects.toThrow(ExecutionError);
    await expect(one(wrongKey)).rejects.toThrow(/\[INVALID_PARAMETER_VALUE\.AES_CRYPTO_ERROR\]/);
    expect(await one(wrongKey.replace("aes_decrypt", "try_aes_decrypt"))).toBeNull();
    const rows = await spark.createDataFrame([{ b: null }], "b BINARY").select(try_aes_decrypt("b", "0000111122223333").as("x")).collect();
    expect(rows).toEqual([{ x: null }]);
  });
});
