import type { NextRequest } from "next/server";
import { getConsoleSession } from "@/server/auth/options";
import { exportCsv, isCsvDataset } from "@/server/csv-export/datasets";
import { AppError } from "@/server/errors";
import { resolveMembership } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * The CSV download of a console page (provisioning events, sign-ins, audit log, a run's
 * operations) with the page's filters as query parameters, streamed as it is read. Members of the
 * tenant only; another tenant is "not found", as everywhere.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string; dataset: string }> }) {
  const { slug, dataset } = await params;
  const session = await getConsoleSession();
  if (!session) return text(401, "Sign in to continue.");
  const membership = await resolveMembership(session.accountId, slug).catch((e: unknown) => {
    if (e instanceof AppError) return null;
    throw e;
  });
  if (!membership || !isCsvDataset(dataset)) return text(404, "Not found.");
  try {
    const { filename, stream } = exportCsv({
      tenantId: membership.tenant.id,
      dataset,
      params: Object.fromEntries(request.nextUrl.searchParams),
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${membership.tenant.slug}-${filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_REQUEST") return text(400, error.message);
    throw error;
  }
}
