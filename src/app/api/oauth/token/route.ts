import type { NextRequest } from "next/server";
import type { OAuthTokenReq } from "@boxyhq/saml-jackson";
import { jackson } from "@/server/sso/jackson";
import { jacksonError } from "@/server/sso/jackson-http";

export const dynamic = "force-dynamic";

/** Jackson's OAuth 2.0 token endpoint (code exchange). */
export async function POST(request: NextRequest) {
  try {
    const form = await request.formData();
    const body = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as unknown as OAuthTokenReq;
    const { oauthController } = await jackson();
    return Response.json(await oauthController.token(body, request.headers.get("authorization")), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return jacksonError(error);
  }
}
