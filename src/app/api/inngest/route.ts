import { inngestRoute } from "@/server/jobs/endpoint";
import { retentionFunction } from "@/server/retention/inngest-functions";
import { exportFunctions } from "@/server/scim-export/inngest-functions";
import { ssoFunctions } from "@/server/sso/inngest-functions";

export const dynamic = "force-dynamic";

/** Inngest calls this endpoint to run the functions; 404 unless Inngest is configured (see endpoint.ts). */
export const { GET, POST, PUT } = inngestRoute([...exportFunctions, ...ssoFunctions, retentionFunction]);
