"use client";
import { Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPencil, IconPlayerPlay, IconPlayerPause, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { confirmDanger } from "./confirm";

type Props = { tenantSlug: string; user: { id: string; userName: string; active: boolean }; onEdit: () => void };

/** Edit, deactivate/reactivate and delete: shown to owners and admins only (the server checks too). */
export function UserActions({ tenantSlug, user, onEdit }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const setActive = useMutation(trpc.users.setActive.mutationOptions());
  const remove = useMutation(trpc.users.delete.mutationOptions());

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.users.get.queryKey({ tenantSlug, userId: user.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
    ]);

  const toggleActive = async () => {
    try {
      await setActive.mutateAsync({ tenantSlug, userId: user.id, active: !user.active });
      await refresh();
      notifications.show({
        color: "teal",
        title: user.active ? "Deactivated" : "Reactivated",
        message: `${user.userName} is now ${user.active ? "inactive" : "active"}.`,
      });
    } catch (error) {
      notifications.show({ color: "red", title: "Not changed", message: errorMessage(error) });
    }
  };

  const onDelete = async () => {
    const confirmed = await confirmDanger({
      title: "Delete user",
      body: `Delete ${user.userName}? They are removed from every group. This cannot be undone; deactivate instead to keep the record.`,
      confirmLabel: "Delete",
    });
    if (!confirmed) return;
    try {
      await remove.mutateAsync({ tenantSlug, userId: user.id });
      await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      notifications.show({ color: "teal", title: "Deleted", message: `${user.userName} was deleted.` });
      router.push(`/t/${tenantSlug}/users`);
    } catch (error) {
      notifications.show({ color: "red", title: "Not deleted", message: errorMessage(error) });
    }
  };

  return (
    <Group gap="sm">
      <Button variant="default" leftSection={<IconPencil size={16} />} onClick={onEdit}>
        Edit
      </Button>
      <Button
        variant="default"
        leftSection={user.active ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
        loading={setActive.isPending}
        onClick={toggleActive}
      >
        {user.active ? "Deactivate" : "Reactivate"}
      </Button>
      <Button color="red" variant="light" leftSection={<IconTrash size={16} />} loading={remove.isPending} onClick={onDelete}>
        Delete
      </Button>
    </Group>
  );
}
