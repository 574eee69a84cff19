/**
 * Java's `Properties.load` format, which Flume's agent configuration uses: `key = value`,
 * `key: value` or `key value`; `#` and `!` comments; a trailing backslash continues the
 * line; `\t`, `\n`, `\uXXXX` and other backslash escapes. Later keys win.
 */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, "");
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    let k = 0;
    while (k < line.length && !" \t\f=:".includes(line[k]!)) k += line[k] === "\\" ? 2 : 1;
    const key = line.slice(0, k);
    let v = k;
    while (v < line.length && " \t\f".includes(line[v]!)) v++;
    if (v < line.length && "=:".includes(line[v]!)) v++;
    while (v < line.length && " \t\f".includes(line[v]!)) v++;
    out.set(unescape(key), unescape(line.slice(v)));
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case "t": return "\t";
      case "n": return "\n";
      case "r": return "\r";
      case "f": return "\f";
      default: return c;
    }
  });
}
