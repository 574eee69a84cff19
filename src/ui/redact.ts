import { redactUrl } from "../common/redact-secrets.ts";

/** Option and parameter names whose values are secrets. */
const SECRET_KEY = String.raw`(?:password|passwd|pwd|pass|sslpassword|secret|token|apikey|api_key|accesskey|secretkey)`;

/**
 * A text (a plan, a statement, a configuration, an error) as it may be shown anywhere the
 * CLI or the web UI shows it: passwords in JDBC URLs (`user:pw@`, `password=`) and the
 * values of secret options (`password 'x'`, `"password": "x"`, `password=x`) become `***`.
 */
export function redactSecrets(text: string): string {
  return text
    // JDBC URLs, wherever they appear: the connector's own rule.
    .replace(/jdbc:[a-z0-9]+:[^\s'"`,)\]]+/gi, (url) => redactUrl(url))
    // SQL OPTIONS (password 'x') and `password = 'x'`.
    .replace(new RegExp(String.raw`(\b${SECRET_KEY}\b['"\x60]?\s*=?\s*)'(?:[^'\\]|\\.|'')*'`, "gi"), "$1'***'")
    // JSON: "password": "x".
    .replace(new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*)"(?:[^"\\]|\\.)*"`, "gi"), '$1"***"')
    // key=value in configurations and query strings.
    .replace(new RegExp(String.raw`(\b${SECRET_KEY}=)(?!\*\*\*)[^\s&;,'")\]]+`, "gi"), "$1***");
}

/** A configuration map with secret values masked (by key, and by value for URLs). */
export function redactConfig(conf: Readonly<Record<string, string>>): Record<string, string> {
  const secret = new RegExp(String.raw`${SECRET_KEY}$`, "i");
  return Object.fromEntries(Object.entries(conf).map(([k, v]) => [k, secret.test(k) ? "***" : redactSecrets(v)]));
}
