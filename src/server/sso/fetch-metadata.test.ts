import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchIdpMetadata } from "./fetch-metadata";
import { MAX_METADATA_BYTES } from "./idp-metadata";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/metadata") return res.end("<EntityDescriptor/>");
    if (req.url === "/moved") return res.writeHead(302, { location: "/metadata" }).end();
    if (req.url === "/huge") return res.end("x".repeat(MAX_METADATA_BYTES + 10));
    if (req.url === "/sign-in-page")
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!DOCTYPE html><html><body>Sign in</body></html>");
    if (req.url === "/page-as-xml")
      return res.writeHead(200, { "content-type": "application/xml" }).end('\n  <html lang="en"><head><title>Okta</title></head></html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const refused = (message: RegExp, field = "metadataUrl") =>
  expect.objectContaining({ code: "BAD_REQUEST", message: expect.stringMatching(message), field });

describe("fetchIdpMetadata (through the shared URL guard)", () => {
  it("reads a document when private targets are allowed", async () => {
    await expect(fetchIdpMetadata(`${base}/metadata`, { allowPrivate: true })).resolves.toBe("<EntityDescriptor/>");
  });

  it.each([
    ["not a URL", "metadata", /not a URL/],
    ["another scheme", "ftp://example.com/metadata", /https/],
    ["credentials in the URL", "https://user:pw@example.com/metadata", /user name or password/],
    ["plain http", "http://example.com/metadata", /https/],
    ["a loopback address", "https://127.0.0.1/metadata", /private|loopback/],
    ["a private address", "https://10.1.2.3/metadata", /private|loopback/],
    ["a link-local address (cloud metadata)", "https://169.254.169.254/latest", /private|loopback/],
    ["an IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/metadata", /private|loopback/],
    ["a local host name", "https://localhost/metadata", /local/],
  ])("refuses %s unless private targets are allowed", async (_name, url, message) => {
    await expect(fetchIdpMetadata(url, { allowPrivate: false })).rejects.toEqual(refused(message));
  });

  it("refuses redirects, error statuses and oversized documents, naming the field", async () => {
    await expect(fetchIdpMetadata(`${base}/moved`, { allowPrivate: true })).rejects.toEqual(refused(/redirects \(HTTP 302\)/));
    await expect(fetchIdpMetadata(`${base}/missing`, { allowPrivate: true, field: "discoveryUrl" })).rejects.toEqual(
      refused(/HTTP 404/, "discoveryUrl"),
    );
    await expect(fetchIdpMetadata(`${base}/huge`, { allowPrivate: true })).rejects.toEqual(refused(/larger than 512 KB/));
  });

  it("says a web page is a web page, by its content type or its first tag", async () => {
    await expect(fetchIdpMetadata(`${base}/sign-in-page`, { allowPrivate: true })).rejects.toEqual(
      refused(/^This is a web page, not SAML metadata\./),
    );
    await expect(fetchIdpMetadata(`${base}/page-as-xml`, { allowPrivate: true })).rejects.toEqual(
      refused(/^This is a web page, not SAML metadata\./),
    );
    await expect(fetchIdpMetadata(`${base}/sign-in-page`, { allowPrivate: true, field: "discoveryUrl" })).rejects.toEqual(
      refused(/^This is a web page, not an OpenID discovery document\./, "discoveryUrl"),
    );
  });
});
