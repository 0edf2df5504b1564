import http from "node:http";

/**
 * A raw HTTP client for the server's request-edge tests: sends a request head (with a declared
 * Content-Length, or a body without a length in chunks) and waits for the answer. A test that
 * declares a large body and sends none of it gets an answer only if the server refuses without
 * reading.
 */
export type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string; gotContinue: boolean };

export type RawRequest = {
  method?: string;
  headers?: Record<string, string | number>;
  /** Written as chunks of a body without a length (unless a Content-Length is declared). */
  chunks?: string[];
  /** End the request after the chunks; otherwise only the head (and chunks) are sent. */
  end?: boolean;
  /** With `Expect: 100-continue`: the body to send once the server says "100 Continue". */
  bodyAfterContinue?: string;
};

export function sendRaw(baseURL: string, path: string, options: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let gotContinue = false;
    const request = http.request(new URL(baseURL), { path, method: options.method ?? "POST", headers: options.headers });
    request.on("continue", () => {
      gotContinue = true;
      request.end(options.bodyAfterContinue ?? "");
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, gotContinue });
        request.destroy();
      });
    });
    request.on("error", reject);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    if (options.end) request.end();
    else request.flushHeaders();
  });
}
