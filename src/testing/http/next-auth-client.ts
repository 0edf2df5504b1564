import { createRequire } from "node:module";
import path from "node:path";
import { authOptions } from "@/server/auth/options";

type InternalResponse = {
  body?: unknown;
  redirect?: string;
  cookies?: Array<{ name: string; value: string; options?: { maxAge?: number } }>;
};

// The core that /api/auth's route runs (next-auth/next adds only Next's request glue); the package
// does not export it, so it is loaded by path.
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler(params: { req: Request; options: unknown }): Promise<InternalResponse>;
};

/**
 * A browser's side of next-auth's real handler (the core the /api/auth route runs), for
 * integration tests: it keeps cookies and speaks the same requests as next-auth/react's
 * signIn(redirect: false), signOut and useSession.
 */
export class NextAuthClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly clientAddress = "192.0.2.1") {}

  private async send(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const headers = new Headers({ host: "localhost:3000", "x-forwarded-for": this.clientAddress });
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    let body: string | undefined;
    if (init.form) {
      // The route turns the browser's form post into this object; the core reads it as JSON.
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.form);
    }
    const response = await AuthHandler({
      req: new Request(`http://localhost:3000/api/auth/${path}`, { method: init.method ?? "GET", headers, body }),
      options: authOptions(),
    });
    for (const cookie of response.cookies ?? []) {
      if (cookie.options?.maxAge === 0 || cookie.value === "") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  private async csrfToken(): Promise<string> {
    const response = await this.send("csrf");
    return (response.body as { csrfToken: string }).csrfToken;
  }

  /** signIn("credentials", { redirect: false }): `error` is what the form receives, `url` where next-auth would send the browser. */
  async signIn(
    email: string,
    password: string,
    callbackUrl = "http://localhost:3000/sign-in",
  ): Promise<{ ok: boolean; error: string | null; url: string }> {
    const csrfToken = await this.csrfToken();
    const form = { email, password, csrfToken, callbackUrl, json: "true" };
    const response = await this.send("callback/credentials", { method: "POST", form });
    const redirect = new URL(response.redirect ?? "http://localhost:3000/");
    if (redirect.searchParams.has("csrf"))
      throw new Error("next-auth refused the CSRF token: the test client is out of step with next-auth.");
    const error = redirect.searchParams.get("error");
    return { ok: !error, error, url: redirect.href };
  }

  /** signOut({ callbackUrl }): where next-auth sends the browser afterwards. */
  async signOut(callbackUrl = "http://localhost:3000/sign-in"): Promise<string | undefined> {
    const csrfToken = await this.csrfToken();
    return (await this.send("signout", { method: "POST", form: { csrfToken, callbackUrl, json: "true" } })).redirect;
  }

  /** What /api/auth/session answers (useSession), and the cookies it leaves. */
  async session(): Promise<{ user?: { id?: string; email?: string | null } } | null> {
    const body = (await this.send("session")).body as Record<string, unknown> | undefined;
    return body && Object.keys(body).length > 0 ? body : null;
  }

  sessionCookie(): string | undefined {
    return this.cookies.get("next-auth.session-token");
  }
}
