"use client";
import { Anchor, Breadcrumbs, Button, Card, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPencil, IconTrash, IconUserPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import type { GroupFormValues } from "@/lib/validation/directory";
import { AddMembersModal } from "./add-members-modal";
import { AttributeList } from "./attribute-list";
import { SourceBadge } from "./badges";
import { confirmDanger } from "./confirm";
import { formatDateTime } from "@/lib/format-date";
import { GroupAuthProfileSlot } from "./group-auth-profile-slot";
import { GroupFormModal } from "./group-form-modal";
import { GroupMembersTable } from "./group-members-table";
import { NotFoundState, isNotFound } from "./not-found-state";

/** A group's page: its members (add, remove, search), details, and its authentication profile slot. */
export function GroupDetail({ groupId }: { groupId: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const group = useQuery(trpc.groups.get.queryOptions({ tenantSlug: tenant.slug, groupId }));
  const rename = useMutation(trpc.groups.rename.mutationOptions());
  const remove = useMutation(trpc.groups.delete.mutationOptions());
  const groupsHref = `/t/${tenant.slug}/groups`;

  if (group.isPending) {
    return (
      <Stack>
        <Skeleton height={32} width="40%" />
        <Skeleton height={320} />
      </Stack>
    );
  }
  if (group.isError) {
    return isNotFound(group.error) ? (
      <NotFoundState what="Group" backHref={groupsHref} backLabel="Back to groups" />
    ) : (
      <Text c="red" role="alert">
        {errorMessage(group.error)}
      </Text>
    );
  }
  const g = group.data;

  const onRename = async (values: GroupFormValues) => {
    const saved = await rename.mutateAsync({ tenantSlug: tenant.slug, groupId, ...values });
    await queryClient.invalidateQueries(trpc.groups.pathFilter());
    return `The group is now called “${saved.displayName}”.`;
  };

  const onDelete = async () => {
    const confirmed = await confirmDanger({
      title: "Delete group",
      body: `Delete the group “${g.displayName}”? Its members stay in the directory; only the group and its memberships are removed.`,
      confirmLabel: "Delete",
    });
    if (!confirmed) return;
    try {
      await remove.mutateAsync({ tenantSlug: tenant.slug, groupId });
      await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
      notifications.show({ color: "teal", title: "Deleted", message: `The group “${g.displayName}” was deleted.` });
      router.push(groupsHref);
    } catch (error) {
      notifications.show({ color: "red", title: "Not deleted", message: errorMessage(error) });
    }
  };

  const addButton = tenant.canWrite ? (
    <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdding(true)}>
      Add members
    </Button>
  ) : null;

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} href={groupsHref} size="sm">
          User Groups
        </Anchor>
        <Text size="sm">{g.displayName}</Text>
      </Breadcrumbs>
      <PageHeader
        title={g.displayName}
        description={`${new Intl.NumberFormat("en").format(g.memberCount)} member(s)`}
        actions={
          tenant.canWrite ? (
            <Group gap="sm">
              {addButton}
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setRenaming(true)}>
                Rename
              </Button>
              <Button color="red" variant="light" leftSection={<IconTrash size={16} />} loading={remove.isPending} onClick={onDelete}>
                Delete
              </Button>
            </Group>
          ) : null
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <GroupMembersTable tenantSlug={tenant.slug} group={g} canWrite={tenant.canWrite} addButton={addButton} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="group-details-title">
              <Group justify="space-between" mb="md">
                <Title order={4} id="group-details-title">
                  Details
                </Title>
                <SourceBadge source={g.source} />
              </Group>
              <AttributeList
                cols={1}
                attributes={[
                  { label: "Description", value: g.description },
                  { label: "External id", value: g.externalId },
                  { label: "Created", value: formatDateTime(g.createdAt) },
                  { label: "Last changed", value: formatDateTime(g.updatedAt) },
                ]}
              />
            </Card>
            <GroupAuthProfileSlot tenantSlug={tenant.slug} groupId={g.id} canWrite={tenant.canWrite} />
          </Stack>
        </Grid.Col>
      </Grid>
      <AddMembersModal opened={adding} onClose={() => setAdding(false)} tenantSlug={tenant.slug} group={g} />
      <GroupFormModal
        opened={renaming}
        onClose={() => setRenaming(false)}
        title="Rename group"
        submitLabel="Save"
        initialName={g.displayName}
        onSubmit={onRename}
      />
    </>
  );
}
