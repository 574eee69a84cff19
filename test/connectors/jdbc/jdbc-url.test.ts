import { describe, expect, test } from "vitest";
import { ConnectorError } from "../../../src/common/errors.ts";
import { parseJdbcUrl, redactSecrets, redactUrl } from "../../../src/connectors/jdbc/jdbc-url.ts";

describe("JDBC URLs", () => {
  test("mysql: host, port, database, credentials from the query string", () => {
    const t = parseJdbcUrl("jdbc:mysql://db.example:3307/shop?user=app&password=s3cret&useSSL=false");
    expect(t).toMatchObject({ dialect: "mysql", host: "db.example", port: 3307, database: "shop", user: "app", password: "s3cret", params: { usessl: "false" } });
    expect(t.redacted).toBe("jdbc:mysql://db.example:3307/shop?user=app&password=***&useSSL=false");
  });

  test("mariadb scheme, default port, user:password@ form, options win over the URL", () => {
    const t = parseJdbcUrl("jdbc:mariadb://bob:pw%40x@127.0.0.1/test");
    expect(t).toMatchObject({ dialect: "mysql", port: 3306, user: "bob", password: "pw@x", database: "test" });
    expect(t.redacted).toBe("jdbc:mariadb://bob:***@127.0.0.1/test");
    expect(parseJdbcUrl("jdbc:mysql://h/db?user=a&password=b", { user: "c", password: "d" })).toMatchObject({ user: "c", password: "d" });
  });

  test("postgresql and sqlite", () => {
    expect(parseJdbcUrl("jdbc:postgresql://localhost/test?user=postgres")).toMatchObject({ dialect: "postgresql", port: 5432, database: "test", user: "postgres", password: null });
    expect(parseJdbcUrl("jdbc:sqlite:out/counts.db")).toMatchObject({ dialect: "sqlite", file: "out/counts.db" });
    expect(parseJdbcUrl("jdbc:sqlite:///tmp/a.db")).toMatchObject({ dialect: "sqlite", file: "/tmp/a.db" });
  });

  test("bad URLs are refused with the password hidden", () => {
    expect(() => parseJdbcUrl("jdbc:oracle:thin:@host:1521:xe?password=topsecret")).toThrow(ConnectorError);
    expect(() => parseJdbcUrl("jdbc:oracle:thin:@host:1521:xe?password=topsecret")).toThrow(/password=\*\*\*/);
    expect(() => parseJdbcUrl("jdbc:mysql://host:3306/?password=topsecret")).toThrow(/names no database/);
    try { parseJdbcUrl("jdbc:mysql://host:3306/?password=topsecret"); } catch (e) { expect((e as Error).message).not.toContain("topsecret"); }
  });

  test("redaction of URLs and free text", () => {
    expect(redactUrl("jdbc:postgresql://u:p4ss@h:5432/db?sslpassword=k&pwd=z")).toBe("jdbc:postgresql://u:***@h:5432/db?sslpassword=***&pwd=***");
    expect(redactUrl("jdbc:mysql://h/db?user=root")).toBe("jdbc:mysql://h/db?user=root");
    expect(redactSecrets("login with pw a&b failed (a%26b)", ["a&b", null])).toBe("login with pw *** failed (***)");
  });
});
