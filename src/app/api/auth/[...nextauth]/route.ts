import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/options";
import { SIGN_IN_MAX_BYTES } from "@/server/http/body-limits";
import { readJsonBody, withBody } from "@/server/http/json-body";
import { MAX_JSON_NESTING } from "@/server/http/json-depth";

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth takes JSON bodies as well as forms: a JSON one is bounded and checked for nesting before next-auth parses it. */
const JSON_LIMITS = { maxBytes: SIGN_IN_MAX_BYTES, maxDepth: MAX_JSON_NESTING };

async function handler(req: NextRequest, context: Context) {
  if (req.method === "POST" && req.headers.get("content-type")?.includes("application/json")) {
    const read = await readJsonBody(req, JSON_LIMITS);
    if (!read.ok)
      return new Response(`${read.message}\n`, { status: read.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    req = new NextRequest(withBody(req, read.text));
  }
  return NextAuth(req as never, { params: await context.params } as never, authOptions());
}

export { handler as GET, handler as POST };
