"use client";
import { ActionIcon, Badge, Button, Card, CopyButton, Group, Select, Stack, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconCopy, IconTrash } from "@tabler/icons-react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { formatDate } from "@/lib/format-date";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zEmail, zRole } from "@/lib/validation/tenancy";
import { useTenant, type TenantRole } from "../shell/tenant-context";
import { roleDescription, roleLabel, roleOptions } from "./role-labels";
import { WRAP_LONG_WORDS } from "@/components/data-table/data-table";

export function MembersSettings() {
  const tenant = useTenant();
  return (
    <Stack maw={960}>
      {tenant.canWrite && <InviteCard />}
      <MembersCard />
      <InvitationsCard />
    </Stack>
  );
}

const inviteSchema = z.object({ email: zEmail, role: zRole });

function InviteCard() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const form = useForm<z.input<typeof inviteSchema>>({ resolver: zodResolver(inviteSchema), defaultValues: { email: "", role: "VIEWER" } });
  const invite = useMutation(trpc.tenant.invite.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const { invitePath } = await invite.mutateAsync({ tenantSlug: tenant.slug, ...values });
      setLink(window.location.origin + invitePath);
      form.reset({ email: "", role: values.role });
      await queryClient.invalidateQueries({ queryKey: trpc.tenant.invitations.queryKey() });
      notifications.show({ color: "green", message: `Invitation created for ${values.email}. Send them the link.` });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not invited", message });
    }
  });

  const roles = tenant.isOwner ? roleOptions : roleOptions.filter((o) => o.value !== "OWNER");
  return (
    <Card withBorder component="form" onSubmit={onSubmit} noValidate>
      <Stack>
        <Title order={4}>Invite a member</Title>
        <Group align="flex-start" grow>
          <TextInput label="Email" type="email" {...form.register("email")} error={form.formState.errors.email?.message} />
          <Controller
            control={form.control}
            name="role"
            render={({ field, fieldState }) => (
              <Select
                label="Role"
                data={roles}
                value={field.value}
                onChange={(v) => field.onChange(v ?? "VIEWER")}
                allowDeselect={false}
                description={roleDescription[field.value as TenantRole]}
                error={fieldState.error?.message}
              />
            )}
          />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={form.formState.isSubmitting}>
            Invite
          </Button>
        </Group>
        {link && (
          <Stack gap={4}>
            <Text size="sm">Invitation link (valid for 7 days; only the invited email can accept it):</Text>
            <Group gap="xs" wrap="nowrap">
              <TextInput value={link} readOnly aria-label="Invitation link" style={{ flex: 1 }} />
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}>
                    {copied ? "Copied" : "Copy"}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function MembersCard() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.tenant.members.queryOptions({ tenantSlug: tenant.slug }));
  const changeRole = useMutation(trpc.tenant.changeRole.mutationOptions());
  const remove = useMutation(trpc.tenant.removeMember.mutationOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tenant.members.queryKey() });

  const onRole = async (accountId: string, role: TenantRole) => {
    try {
      await changeRole.mutateAsync({ tenantSlug: tenant.slug, accountId, role });
      notifications.show({ color: "green", message: `Role changed to ${roleLabel[role]}.` });
    } catch (e) {
      notifications.show({ color: "red", title: "Role not changed", message: errorMessage(e) });
    }
    await refresh();
  };

  const onRemove = (accountId: string, name: string) =>
    modals.openConfirmModal({
      title: `Remove ${name}?`,
      children: <Text size="sm">They lose access to {tenant.name} at once.</Text>,
      labels: { confirm: "Remove", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: async () => {
        try {
          await remove.mutateAsync({ tenantSlug: tenant.slug, accountId });
          notifications.show({ color: "green", message: `${name} was removed.` });
        } catch (e) {
          notifications.show({ color: "red", title: "Not removed", message: errorMessage(e) });
        }
        await refresh();
      },
    });

  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Members
      </Title>
      <Table aria-label="Members" verticalSpacing="sm" styles={{ td: WRAP_LONG_WORDS }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th w={180}>Role</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.data?.map((m) => (
            <Table.Tr key={m.accountId}>
              <Table.Td>{m.name}</Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td>
                {tenant.isOwner ? (
                  <Select
                    aria-label={`Role of ${m.email}`}
                    data={roleOptions}
                    value={m.role}
                    allowDeselect={false}
                    onChange={(v) => v && v !== m.role && void onRole(m.accountId, v as TenantRole)}
                  />
                ) : (
                  <Badge variant="light">{roleLabel[m.role]}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                {tenant.isOwner && (
                  <Tooltip label="Remove member">
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.email}`} onClick={() => onRemove(m.accountId, m.name)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {members.isError && (
        <Text c="red" size="sm">
          {errorMessage(members.error)}
        </Text>
      )}
    </Card>
  );
}

function InvitationsCard() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.tenant.invitations.queryOptions({ tenantSlug: tenant.slug }));
  const revoke = useMutation(trpc.tenant.revokeInvitation.mutationOptions());
  if (!invitations.data?.length) return null;

  const onRevoke = async (invitationId: string) => {
    try {
      await revoke.mutateAsync({ tenantSlug: tenant.slug, invitationId });
      notifications.show({ color: "green", message: "Invitation revoked." });
    } catch (e) {
      notifications.show({ color: "red", title: "Not revoked", message: errorMessage(e) });
    }
    await queryClient.invalidateQueries({ queryKey: trpc.tenant.invitations.queryKey() });
  };

  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Pending invitations
      </Title>
      <Table aria-label="Pending invitations" styles={{ td: WRAP_LONG_WORDS }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Invited by</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invitations.data.map((inv) => (
            <Table.Tr key={inv.id}>
              <Table.Td>{inv.email}</Table.Td>
              <Table.Td>{roleLabel[inv.role]}</Table.Td>
              <Table.Td>{inv.invitedBy}</Table.Td>
              <Table.Td>{formatDate(inv.expiresAt)}</Table.Td>
              <Table.Td>
                {tenant.canWrite && (
                  <Button size="xs" variant="subtle" color="red" onClick={() => void onRevoke(inv.id)}>
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
