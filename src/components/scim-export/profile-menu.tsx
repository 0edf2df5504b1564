"use client";
import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconDots, IconPencil, IconTrash } from "@tabler/icons-react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useTenant } from "@/components/shell/tenant-context";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zExportProfileUpdate } from "@/lib/validation/scim-export";
import type { ExportProfile } from "./use-profile";

/** The profile's own actions: rename (and describe), delete. */
export function ProfileMenu({ profile }: { profile: ExportProfile }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [editing, { open, close }] = useDisclosure(false);
  const remove = useMutation(trpc.scimExport.delete.mutationOptions());

  const onDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${profile.name}?`,
      children: (
        <Text size="sm">
          The profile, its mapping, assigned groups and logs are deleted here. Nothing is removed from the application: users and groups
          already provisioned stay there.
        </Text>
      ),
      labels: { confirm: "Delete profile", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: async () => {
        try {
          await remove.mutateAsync({ tenantSlug: tenant.slug, profileId: profile.id });
          notifications.show({ color: "green", message: `${profile.name} was deleted.` });
          await queryClient.invalidateQueries({ queryKey: trpc.scimExport.list.queryKey() });
          router.push(`/t/${tenant.slug}/scim-export`);
        } catch (e) {
          notifications.show({ color: "red", title: "Not deleted", message: errorMessage(e) });
        }
      },
    });

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label="Profile actions">
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconPencil size={14} />} onClick={open}>
            Edit name and description
          </Menu.Item>
          <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={onDelete}>
            Delete profile
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <EditProfileModal profile={profile} opened={editing} onClose={close} />
    </>
  );
}

function EditProfileModal({ profile, opened, onClose }: { profile: ExportProfile; opened: boolean; onClose: () => void }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.scimExport.update.mutationOptions());
  const form = useForm<z.input<typeof zExportProfileUpdate>>({
    resolver: zodResolver(zExportProfileUpdate),
    values: { name: profile.name, description: profile.description },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync({ tenantSlug: tenant.slug, profileId: profile.id, ...values });
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.list.queryKey() });
      notifications.show({ color: "green", message: "Profile saved." });
      onClose();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title="Edit profile">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput label="Application Name" {...form.register("name")} error={form.formState.errors.name?.message} data-autofocus />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            {...form.register("description")}
            error={form.formState.errors.description?.message}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
