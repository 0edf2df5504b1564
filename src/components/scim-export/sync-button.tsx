"use client";
import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTenant } from "@/components/shell/tenant-context";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";

/**
 * Steps 11–12 (Sync → "User and group sync queued") and 14–15 (About → Provision on Demand →
 * "SCIM sync initiated"): both queue a full sync of the profile; only the trigger and the words differ.
 */
export function SyncButton({ profileId, mode, disabled }: { profileId: string; mode: "sync" | "onDemand"; disabled?: boolean }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sync = useMutation(trpc.scimExport.sync.mutationOptions());
  const onDemand = mode === "onDemand";

  const onClick = async () => {
    try {
      await sync.mutateAsync({ tenantSlug: tenant.slug, profileId, trigger: onDemand ? "ON_DEMAND" : "MANUAL" });
      notifications.show({
        color: "green",
        title: onDemand ? "SCIM sync initiated" : "User and group sync queued",
        message: onDemand
          ? "Users and groups are being provisioned now. Progress shows above; details in Logs."
          : "The sync starts in a moment. Progress shows above; details in Logs.",
      });
    } catch (e) {
      notifications.show({ color: "red", title: onDemand ? "SCIM sync not started" : "Sync not queued", message: errorMessage(e) });
    }
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.scimExport.runs.queryKey() }),
    ]);
  };

  return (
    <Button
      leftSection={<IconRefresh size={16} />}
      variant={onDemand ? "filled" : "light"}
      onClick={() => void onClick()}
      loading={sync.isPending}
      disabled={disabled}
    >
      {onDemand ? "Provision on Demand" : "Sync"}
    </Button>
  );
}
