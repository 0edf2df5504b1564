import type { NextRequest } from "next/server";
import { jackson } from "@/server/sso/jackson";
import { bearerError, oauthError } from "@/server/sso/jackson-http";

export const dynamic = "force-dynamic";

/** Jackson's userinfo endpoint: the profile behind an access token (Authorization: Bearer). */
export async function GET(request: NextRequest) {
  const token = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (!token) return bearerError();
  try {
    const { oauthController } = await jackson();
    return Response.json(await oauthController.userInfo(token), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return oauthError(error, "userinfo");
  }
}
