"use client";
import { Alert, Anchor, Badge, Breadcrumbs, Center, Group, Loader, Text } from "@mantine/core";
import { IconAlertTriangle, IconCloudOff } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, type ReactNode } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { profileStatusLabel } from "./labels";
import { QuarantineBanner, ThresholdBanner } from "./profile-banners";
import { ProfileMenu } from "./profile-menu";
import { PreviewSyncButton } from "./preview-sync";
import { ProfileTabs } from "./profile-tabs";
import { TypeBadge } from "./profiles-page";
import { RunProgress } from "./run-progress";
import { SyncButton } from "./sync-button";
import { useProfile, useProfileId } from "./use-profile";

/** Step 3 onwards: the profile's header (name, status, Sync), banners, live progress and tabs. */
export function ProfileShell({ children }: { children: ReactNode }) {
  const tenant = useTenant();
  const profileId = useProfileId();
  const profile = useProfile();
  useRefreshWhenRunEnds(profile.data?.activeRun?.id ?? null);
  const listHref = `/t/${tenant.slug}/scim-export`;
  const basePath = `${listHref}/${profileId}`;

  if (profile.isLoading) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading profile" />
      </Center>
    );
  }
  if (!profile.data) {
    return (
      <EmptyState
        icon={IconCloudOff}
        title="Profile not found"
        action={
          <Anchor component={Link} href={listHref}>
            Back to SCIM Export
          </Anchor>
        }
      >
        {errorMessage(profile.error)}
      </EmptyState>
    );
  }

  const p = profile.data;
  const status = profileStatusLabel(p.status);
  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} href={listHref} size="sm">
          SCIM Export
        </Anchor>
        <Text size="sm">{p.name}</Text>
      </Breadcrumbs>
      <PageHeader
        title={p.name}
        description={
          <Group gap="xs" component="span">
            <TypeBadge type={p.type} />
            <Badge color={status.color} variant="light">
              {status.label}
            </Badge>
            {p.description && (
              <Text span size="sm" c="dimmed">
                {p.description}
              </Text>
            )}
          </Group>
        }
        actions={
          tenant.canWrite && (
            <>
              <PreviewSyncButton profileId={p.id} disabled={!p.configuration.baseUrl || !p.configuration.tokenSet} />
              <SyncButton profileId={p.id} mode="sync" disabled={!p.configuration.baseUrl || !p.configuration.tokenSet} />
              <ProfileMenu profile={p} />
            </>
          )
        }
      />
      <QuarantineBanner profile={p} />
      <ThresholdBanner profile={p} run={p.pendingConfirmation} />
      {p.limitWarning && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Over the target's limit" mb="md">
          {p.limitWarning}
        </Alert>
      )}
      {p.activeRun && <RunProgress run={p.activeRun} logsHref={`${basePath}/logs`} />}
      <ProfileTabs basePath={basePath} />
      {children}
    </>
  );
}

/** When a run finishes, what it changed (logs, assigned groups' counts) is fetched again. */
function useRefreshWhenRunEnds(activeRunId: string | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const previous = useRef(activeRunId);
  useEffect(() => {
    if (previous.current && previous.current !== activeRunId) {
      void queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.scimExport.runs.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.scimExport.operations.queryKey() });
    }
    previous.current = activeRunId;
  }, [activeRunId, queryClient, trpc]);
}
