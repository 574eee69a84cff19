import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../src/common/errors.ts";
import { importDriver } from "../../src/connectors/driver-import.ts";

// The installed package's test (test/package/) checks the same with pg and mysql2 absent.
describe("importDriver", () => {
  it("names the package to install when the driver is not installed", async () => {
    const name = "rivulet-no-such-driver";
    const error = await importDriver(name, "TestDB (jdbc:test:)", () => import(name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toBe("TestDB (jdbc:test:) needs the driver package 'rivulet-no-such-driver', which is not installed: npm install rivulet-no-such-driver");
    expect((error as Error).cause).toMatchObject({ code: "ERR_MODULE_NOT_FOUND" });
  });

  it("loads an installed driver and passes other failures through", async () => {
    expect(typeof (await importDriver("kysely", "any", () => import("kysely"))).Kysely).toBe("function");
    const broken = new TypeError("the driver failed while loading");
    await expect(importDriver("kysely", "any", () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
