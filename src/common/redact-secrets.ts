/**
 * The URL as it may be shown anywhere (errors, logs, progress, explain): the password
 * in `user:password@` and in `password=` (and a Spark Connect `token=`) parameters becomes `***`.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/\/[^/@?#:]*:)[^/@?#]*@/, "$1***@")
    .replace(/([?&;](?:password|pwd|pass|passwd|sslpassword|token)=)[^&;#]*/gi, "$1***");
}

/** Removes every occurrence of the given secrets from a text (a driver's error message, say). */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s === null || s === undefined || s.length === 0) continue;
    out = out.split(s).join("***");
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join("***");
  }
  return out;
}
