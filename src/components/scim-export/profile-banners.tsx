"use client";
import { Alert, Button, Group, Text } from "@mantine/core";
import { plural } from "@/lib/plural";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconShieldX } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTenant } from "@/components/shell/tenant-context";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { formatDateTime } from "@/lib/format-date";
import { needsConfirmation } from "./labels";
import type { ExportProfile, ExportRun } from "./use-profile";

/** Shown while the profile is quarantined: runs kept failing, so the engine stopped calling the target. */
export function QuarantineBanner({ profile }: { profile: ExportProfile }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const release = useMutation(trpc.scimExport.releaseQuarantine.mutationOptions());
  if (!profile.quarantine) return null;

  const onRelease = async () => {
    try {
      await release.mutateAsync({ tenantSlug: tenant.slug, profileId: profile.id });
      notifications.show({ color: "green", message: "Quarantine lifted. The next sync runs as scheduled, or press Sync now." });
    } catch (e) {
      notifications.show({ color: "red", title: "Quarantine not lifted", message: errorMessage(e) });
    }
    await queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
  };

  return (
    <Alert color="red" icon={<IconShieldX size={18} />} title="This profile is quarantined" mb="md" role="alert">
      <Text size="sm">
        Recent syncs kept failing{profile.quarantine.reason ? `: ${profile.quarantine.reason}` : "."} No scheduled sync will call the target
        before {formatDateTime(profile.quarantine.until)}. Check the Tenant URL and Secret Token in Configuration, use Test Connection, then
        lift the quarantine.
      </Text>
      {tenant.canWrite && (
        <Group mt="sm">
          <Button size="xs" color="red" variant="light" loading={release.isPending} onClick={() => void onRelease()}>
            Lift quarantine
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** A run stopped before deactivating/deleting more users than the threshold: the admin decides. */
export function ThresholdBanner({ profile, run }: { profile: ExportProfile; run: ExportRun | null | undefined }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const decide = useMutation(trpc.scimExport.confirmRun.mutationOptions());
  if (!run || !needsConfirmation(run.status)) return null;
  const verb = profile.configuration.leaveAction === "DELETE" ? "delete" : "deactivate";

  const onDecide = (confirm: boolean) =>
    modals.openConfirmModal({
      title: confirm
        ? `Let the sync ${verb} ${run.pendingDeletions === null ? "these users" : plural(run.pendingDeletions, "user")}?`
        : "Cancel this sync?",
      children: (
        <Text size="sm">
          {confirm
            ? "The sync continues and applies every change, including users who left the assigned groups."
            : "Nothing more is sent to the target for this run. Fix the group assignments, then sync again."}
        </Text>
      ),
      labels: { confirm: confirm ? "Continue the sync" : "Cancel the sync", cancel: "Back" },
      confirmProps: { color: confirm ? "red" : undefined },
      onConfirm: async () => {
        try {
          await decide.mutateAsync({ tenantSlug: tenant.slug, runId: run.id, confirm });
          notifications.show({ color: "green", message: confirm ? "The sync continues." : "The sync was cancelled." });
        } catch (e) {
          notifications.show({ color: "red", title: "Not done", message: errorMessage(e) });
        }
        await queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
      },
    });

  return (
    <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="A sync is waiting for your confirmation" mb="md" role="alert">
      <Text size="sm">
        It would {verb} {run.pendingDeletions === null ? "more users" : plural(run.pendingDeletions, "user")}, over this profile&apos;s
        threshold of {profile.configuration.deletionThreshold}. Nothing has been removed yet.
      </Text>
      {tenant.canWrite && (
        <Group mt="sm">
          <Button size="xs" color="red" onClick={() => onDecide(true)}>
            Continue the sync
          </Button>
          <Button size="xs" variant="default" onClick={() => onDecide(false)}>
            Cancel the sync
          </Button>
        </Group>
      )}
    </Alert>
  );
}
