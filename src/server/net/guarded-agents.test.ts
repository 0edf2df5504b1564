import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedAgents } from "./guarded-agents";

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(host: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: "/", agent }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("guarded default agents", () => {
  it("refuse loopback by IP literal and by name when private targets are not allowed", async () => {
    const { http: agent } = guardedAgents(false);
    await expect(get("127.0.0.1", agent)).rejects.toMatchObject({ code: "EBLOCKED" });
    await expect(get("localhost", agent)).rejects.toMatchObject({ code: "EBLOCKED" });
    agent.destroy();
  });

  it("connect when private targets are allowed (tests, on-premise)", async () => {
    const { http: agent } = guardedAgents(true);
    await expect(get("127.0.0.1", agent)).resolves.toBe("ok");
    await expect(get("localhost", agent)).resolves.toBe("ok");
    agent.destroy();
  });
});
