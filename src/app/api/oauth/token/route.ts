import type { NextRequest } from "next/server";
import type { OAuthTokenReq } from "@boxyhq/saml-jackson";
import { jackson } from "@/server/sso/jackson";
import { oauthError, readForm } from "@/server/sso/jackson-http";

export const dynamic = "force-dynamic";

/** Jackson's OAuth 2.0 token endpoint (code exchange). */
export async function POST(request: NextRequest) {
  try {
    const body = (await readForm(request)) as unknown as OAuthTokenReq;
    const { oauthController } = await jackson();
    return Response.json(await oauthController.token(body, request.headers.get("authorization")), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return oauthError(error, "token");
  }
}
