"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useTenant } from "@/components/shell/tenant-context";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";

export type ExportProfile = RouterOutputs["scimExport"]["get"];
export type ExportRun = NonNullable<ExportProfile["activeRun"]>;

/** The profile id of the current /t/<slug>/scim-export/<profileId>/… page. */
export function useProfileId(): string {
  const params = useParams<{ profileId: string }>();
  return params.profileId;
}

/**
 * The profile every tab shows; one cached query shared by the header and the tabs. It carries the
 * run in progress, so it is polled every second and a half while one runs (live progress without
 * reloading) and every 15 s otherwise, so a scheduled or change-triggered run shows up too.
 */
export function useProfile() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const profileId = useProfileId();
  return useQuery({
    ...trpc.scimExport.get.queryOptions({ tenantSlug: tenant.slug, profileId }),
    refetchInterval: (query) => (query.state.data?.activeRun ? 1500 : 15_000),
  });
}
