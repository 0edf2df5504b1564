/** Serves a fetch-style handler (Request → Response) on a local port: the app's /api/inngest route in tests. */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type FetchServer = { origin: string; stop: () => Promise<void> };

export async function serveFetchHandler(handle: (request: Request) => Promise<Response>, port = 0): Promise<FetchServer> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
    const response = await handle(
      new Request(new URL(req.url ?? "/", `http://${req.headers.host}`), { method: req.method, headers, body }),
    ).catch((error: unknown) => new Response(`Test server: ${(error as Error).message}`, { status: 500 }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await once(server, "close").catch(() => undefined);
    },
  };
}
