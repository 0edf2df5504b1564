/**
 * A signed-in console over real HTTP, for tests against running servers (the multi-instance
 * test): next-auth's credentials sign-in as next-auth/react's signIn(redirect: false) sends it
 * (GET /api/auth/csrf, then POST /api/auth/callback/credentials), then tRPC calls with the session
 * cookie and the page's Origin, as the console's own pages make them.
 */
export type TrpcAnswer<T> = { status: number; data?: T; error?: { message: string; code: string } };

export class ConsoleHttp {
  private readonly cookies = new Map<string, string>();

  private constructor(readonly origin: string) {}

  /** Signs `email` in on the server at `origin`; throws when next-auth refuses. */
  static async signIn(origin: string, email: string, password: string): Promise<ConsoleHttp> {
    const client = new ConsoleHttp(origin);
    const csrf = await client.fetch("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/`, json: "true" });
    const answer = await client.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    await answer.body?.cancel();
    if (!client.cookies.has("next-auth.session-token"))
      throw new Error(`Sign-in of ${email} at ${origin} failed (status ${answer.status}, ${answer.headers.get("location")})`);
    return client;
  }

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("origin", this.origin);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${this.origin}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A tRPC mutation (superjson's `{ json }` envelope), with its HTTP status and the procedure's answer or error. */
  async mutation<T = unknown>(path: string, input: unknown): Promise<TrpcAnswer<T>> {
    const response = await this.fetch(`/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
    const body = (await response.json()) as {
      result?: { data?: { json?: T } };
      error?: { json?: { message: string; data?: { code: string } } };
    };
    if (body.error)
      return { status: response.status, error: { message: body.error.json?.message ?? "", code: body.error.json?.data?.code ?? "" } };
    return { status: response.status, data: body.result?.data?.json };
  }
}
