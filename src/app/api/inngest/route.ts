import { serve } from "inngest/next";
import { inngest } from "@/server/jobs/client";
import { functions } from "@/server/jobs/functions";

/** Inngest calls this endpoint to run the functions (only where Inngest is configured). */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
