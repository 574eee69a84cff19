import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from "node:crypto";
import { ExecutionError } from "../../common/errors.ts";
import { BinaryType, StringType } from "../../types/data-types.ts";
import { defineFunction } from "./define-function.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/*
 * Spark 3.5's aes_encrypt / aes_decrypt / try_aes_decrypt (ExpressionImplUtils): AES-GCM
 * (default, no padding, 12-byte IV and a 16-byte tag around the ciphertext), AES-CBC (PKCS
 * padding, 16-byte IV before it) and AES-ECB (PKCS); keys of 16, 24 or 32 bytes. An empty IV
 * means a random one, so the same text encrypts differently each time but decrypts alike —
 * bytes compatible with Spark's both ways.
 */

type Mode = "GCM" | "CBC" | "ECB";
const GCM_IV_BYTES = 12, GCM_TAG_BYTES = 16, CBC_IV_BYTES = 16;

function modeOf(fn: string, mode: string, padding: string): Mode {
  const m = mode.toUpperCase(), p = padding.toUpperCase();
  if (m === "GCM" && (p === "NONE" || p === "DEFAULT")) return "GCM";
  if ((m === "CBC" || m === "ECB") && (p === "PKCS" || p === "DEFAULT")) return m;
  throw new ExecutionError(`[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-${mode} with the padding ${padding} by the ${fn} function.`);
}

function checkKey(fn: string, key: Uint8Array): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new ExecutionError(`[INVALID_PARAMETER_VALUE.AES_KEY_LENGTH] The value of parameter(s) \`key\` in \`${fn}\` is invalid: expects a binary value with 16, 24 or 32 bytes, but got ${key.length} bytes.`);
  }
  return `aes-${key.length * 8}`;
}

function encrypt(input: Uint8Array, key: Uint8Array, modeName: string, padding: string, iv: Uint8Array, aad: Uint8Array): Uint8Array {
  const fn = "aes_encrypt";
  const mode = modeOf(fn, modeName, padding);
  const cipher = `${checkKey(fn, key)}-${mode.toLowerCase()}`;
  if (mode !== "GCM" && aad.length > 0) throw new ExecutionError(`[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: ${fn} with AES-${mode} does not support additional authenticate data (AAD).`);
  if (mode === "ECB") {
    if (iv.length > 0) throw new ExecutionError(`[UNSUPPORTED_FEATURE.AES_MODE_IV] The feature is not supported: ${fn} with AES-ECB does not support initialization vectors (IVs).`);
    const c = createCipheriv(cipher, key, null);
    return concat([c.update(input), c.final()]);
  }
  const ivBytes = mode === "GCM" ? GCM_IV_BYTES : CBC_IV_BYTES;
  if (iv.length > 0 && iv.length !== ivBytes) {
    throw new ExecutionError(`[INVALID_PARAMETER_VALUE.AES_IV_LENGTH] The value of parameter(s) \`iv\` in \`${fn}\` is invalid: expects a ${ivBytes}-byte value for AES-${mode}, but got ${iv.length} bytes.`);
  }
  const theIv = iv.length > 0 ? iv : randomBytes(ivBytes);
  if (mode === "CBC") {
    const c = createCipheriv(cipher, key, theIv);
    return concat([theIv, c.update(input), c.final()]);
  }
  const c = createCipheriv(cipher as CipherGCMTypes, key, theIv, { authTagLength: GCM_TAG_BYTES });
  if (aad.length > 0) c.setAAD(aad);
  const body = concat([c.update(input), c.final()]);
  return concat([theIv, body, c.getAuthTag()]);
}

function decrypt(fn: string, input: Uint8Array, key: Uint8Array, modeName: string, padding: string, aad: Uint8Array): Uint8Array {
  const mode = modeOf(fn, modeName, padding);
  const cipher = `${checkKey(fn, key)}-${mode.toLowerCase()}`;
  if (mode !== "GCM" && aad.length > 0) throw new ExecutionError(`[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: ${fn} with AES-${mode} does not support additional authenticate data (AAD).`);
  try {
    if (mode === "ECB") {
      const d = createDecipheriv(cipher, key, null);
      return concat([d.update(input), d.final()]);
    }
    if (mode === "CBC") {
      const d = createDecipheriv(cipher, key, input.subarray(0, CBC_IV_BYTES));
      return concat([d.update(input.subarray(CBC_IV_BYTES)), d.final()]);
    }
    if (input.length < GCM_IV_BYTES + GCM_TAG_BYTES) throw new Error(`the input has ${input.length} bytes, fewer than an IV and a tag`);
    const d = createDecipheriv(cipher as CipherGCMTypes, key, input.subarray(0, GCM_IV_BYTES), { authTagLength: GCM_TAG_BYTES });
    if (aad.length > 0) d.setAAD(aad);
    d.setAuthTag(input.subarray(input.length - GCM_TAG_BYTES));
    return concat([d.update(input.subarray(GCM_IV_BYTES, input.length - GCM_TAG_BYTES)), d.final()]);
  } catch (error) {
    throw new ExecutionError(`[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] The value of parameter(s) \`expr\` in \`${fn}\` is invalid: detail message: ${(error as Error).message}`, { cause: error });
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const B = BinaryType, S = StringType;
const EMPTY = new Uint8Array(0);

export const aesFunctions: readonly ScalarFunction[] = [
  defineFunction({
    name: "aes_encrypt", types: [B, B, S, S, B, B], defaults: ["GCM", "DEFAULT", EMPTY, EMPTY], result: B,
    f: (input: Uint8Array, [key, mode, padding, iv, aad]) => encrypt(input, key, mode, padding, iv, aad),
  }),
  defineFunction({
    name: "aes_decrypt", types: [B, B, S, S, B], defaults: ["GCM", "DEFAULT", EMPTY], result: B,
    f: (input: Uint8Array, [key, mode, padding, aad]) => decrypt("aes_decrypt", input, key, mode, padding, aad),
  }),
  defineFunction({
    name: "try_aes_decrypt", types: [B, B, S, S, B], defaults: ["GCM", "DEFAULT", EMPTY], result: B,
    f: (input: Uint8Array, [key, mode, padding, aad]) => {
      try {
        return decrypt("try_aes_decrypt", input, key, mode, padding, aad);
      } catch (error) {
        if (error instanceof ExecutionError && error.message.startsWith("[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR]")) return null;
        throw error;
      }
    },
  }),
];
