import { scimImportHandler } from "@/server/scim-import/handle-request";
import { fromWebRequest, toWebResponse } from "@/server/scim-import/http";

/** SCIM Import: every method and path of `/api/scim/v2/<tenant>/…` goes to one framework-free handler. */
type Params = { params: Promise<{ tenant: string; path?: string[] }> };

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: Params): Promise<Response> {
  const { tenant, path } = await params;
  return toWebResponse(await scimImportHandler()(fromWebRequest(request), tenant, path ?? []));
}

export const GET = handle;
// The handler answers HEAD as GET (Next sends no body for it), as the product's server does.
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
