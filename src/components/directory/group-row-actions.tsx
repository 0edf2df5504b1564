"use client";
import { ActionIcon, Group, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPencil, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { confirmDanger } from "./confirm";

/** Rename and delete, as icon buttons in a group's row (or header). */
export function GroupRowActions({
  tenantSlug,
  group,
  onRename,
  onDeleted,
}: {
  tenantSlug: string;
  group: { id: string; displayName: string; memberCount: number };
  onRename: () => void;
  onDeleted?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.groups.delete.mutationOptions());

  const onDelete = async () => {
    const confirmed = await confirmDanger({
      title: "Delete group",
      body: `Delete the group “${group.displayName}”? Its ${group.memberCount} member(s) stay in the directory; only the group and its memberships are removed.`,
      confirmLabel: "Delete",
    });
    if (!confirmed) return;
    try {
      await remove.mutateAsync({ tenantSlug, groupId: group.id });
      await queryClient.invalidateQueries(trpc.groups.pathFilter());
      notifications.show({ color: "teal", title: "Deleted", message: `The group “${group.displayName}” was deleted.` });
      onDeleted?.();
    } catch (error) {
      notifications.show({ color: "red", title: "Not deleted", message: errorMessage(error) });
    }
  };

  return (
    <Group gap={4} wrap="nowrap" onClick={(event) => event.stopPropagation()}>
      <Tooltip label="Rename">
        <ActionIcon variant="subtle" color="gray" aria-label={`Rename ${group.displayName}`} onClick={onRename}>
          <IconPencil size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete">
        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${group.displayName}`} loading={remove.isPending} onClick={onDelete}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
