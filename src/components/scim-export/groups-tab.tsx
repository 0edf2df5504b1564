"use client";
import { ActionIcon, Alert, Button, Card, Group, MultiSelect, Radio, Stack, Switch, Table, Text, Title, Tooltip } from "@mantine/core";
import { plural } from "@/lib/plural";
import { useDebouncedValue } from "@mantine/hooks";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconTrash, IconUsersGroup } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { formatDate } from "@/lib/format-date";
import type { NestedGroupsOnTarget } from "@/lib/validation/scim-export";
import { useProfile, useProfileId } from "./use-profile";

/** Steps 9–10: the directory user groups whose members (and the groups themselves) are provisioned. */
export function GroupsTab() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const profileId = useProfileId();
  const profile = useProfile();
  const assigned = useQuery(trpc.scimExport.assignedGroups.queryOptions({ tenantSlug: tenant.slug, profileId }));
  const setGroups = useMutation(trpc.scimExport.setGroups.mutationOptions());
  const includeNested = profile.data?.configuration.includeNestedGroups ?? false;
  const onTarget = profile.data?.configuration.nestedGroupsOnTarget ?? "FLATTEN";
  const current = assigned.data ?? [];

  const apply = async (groupIds: string[], nested: boolean, success: string, nestedGroupsOnTarget?: NestedGroupsOnTarget) => {
    try {
      await setGroups.mutateAsync({ tenantSlug: tenant.slug, profileId, groupIds, includeNestedGroups: nested, nestedGroupsOnTarget });
      notifications.show({ color: "green", message: success });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.scimExport.assignedGroups.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() }),
      ]);
      return true;
    } catch (e) {
      notifications.show({ color: "red", title: "Groups not saved", message: errorMessage(e) });
      return false;
    }
  };

  const onRemove = (groupId: string, name: string) =>
    modals.openConfirmModal({
      title: `Stop syncing ${name}?`,
      children: (
        <Text size="sm">
          Its members who are in no other assigned group leave this profile&apos;s scope: the next sync{" "}
          {profile.data?.configuration.leaveAction === "DELETE" ? "deletes" : "deactivates"} them in the target.
        </Text>
      ),
      labels: { confirm: "Unassign", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        void apply(
          current.filter((g) => g.groupId !== groupId).map((g) => g.groupId),
          includeNested,
          `${name} is no longer synced.`,
        ),
    });

  return (
    <Stack maw={960}>
      {tenant.canWrite && (
        <AssignGroups
          assignedIds={current.map((g) => g.groupId)}
          onAssign={(ids, names) =>
            apply(
              [...current.map((g) => g.groupId), ...ids],
              includeNested,
              `Assigned: ${names.join(", ")}. Sync to provision their members.`,
            )
          }
        />
      )}
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>Assigned groups</Title>
          <Switch
            label="Include members of nested groups"
            checked={includeNested}
            disabled={!tenant.canWrite || setGroups.isPending}
            onChange={(e) => {
              const nested = e.currentTarget.checked;
              void apply(
                current.map((g) => g.groupId),
                nested,
                nested ? "Members of nested groups are now synced too." : "Only direct members are synced now.",
              );
            }}
          />
        </Group>
        <Radio.Group
          mb="md"
          label="Nested groups on the target"
          description={
            includeNested
              ? "How groups nested in an assigned group appear in the target. Changing it puts every group in line at the next sync."
              : "Applies once members of nested groups are included."
          }
          value={onTarget}
          onChange={(value) =>
            void apply(
              current.map((g) => g.groupId),
              includeNested,
              value === "NESTED"
                ? "Nested groups will be pushed as members of their parent group."
                : "Parent groups will list every user below them.",
              value as NestedGroupsOnTarget,
            )
          }
        >
          <Stack gap="xs" mt="xs">
            <Radio
              value="FLATTEN"
              label="Flatten"
              description="A parent group lists every user of the groups below it, once each. Works with any SCIM application."
              disabled={!tenant.canWrite || !includeNested || setGroups.isPending}
            />
            <Radio
              value="NESTED"
              label="Push child groups as members"
              description="A parent group's members are its own users and its child groups (SCIM members of type Group). Databricks supports this; check that your application does."
              disabled={!tenant.canWrite || !includeNested || setGroups.isPending}
            />
          </Stack>
        </Radio.Group>
        {assigned.isError && <Alert color="red">{errorMessage(assigned.error)}</Alert>}
        {assigned.data && current.length === 0 ? (
          <EmptyState icon={IconUsersGroup} title="No group assigned yet">
            Assign the user groups whose members should exist in the target. Nothing is provisioned until at least one group is assigned.
          </EmptyState>
        ) : (
          <Table aria-label="Assigned groups" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th>Members</Table.Th>
                <Table.Th>Assigned</Table.Th>
                <Table.Th w={60} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {current.map((g) => (
                <Table.Tr key={g.groupId}>
                  <Table.Td>{g.displayName}</Table.Td>
                  <Table.Td>{g.memberCount.toLocaleString()}</Table.Td>
                  <Table.Td>{formatDate(g.assignedAt)}</Table.Td>
                  <Table.Td>
                    {tenant.canWrite && (
                      <Tooltip label="Unassign">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Unassign ${g.displayName}`}
                          onClick={() => onRemove(g.groupId, g.displayName)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

function AssignGroups({
  assignedIds,
  onAssign,
}: {
  assignedIds: string[];
  onAssign: (ids: string[], names: string[]) => Promise<boolean>;
}) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [query] = useDebouncedValue(search, 250);
  const [selected, setSelected] = useState<string[]>([]);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const groups = useQuery({
    ...trpc.groups.list.queryOptions({ tenantSlug: tenant.slug, search: query || undefined, page: 1, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });
  const options = (groups.data?.items ?? [])
    .filter((g) => !assignedIds.includes(g.id))
    .map((g) => ({ value: g.id, label: `${g.displayName} (${plural(g.memberCount, "member")})` }));
  // Keep the chosen ones in the list even when the search no longer finds them.
  for (const id of selected) if (!options.some((o) => o.value === id)) options.push({ value: id, label: labels[id] ?? id });

  const onSubmit = async () => {
    setBusy(true);
    const names = selected.map((id) => (labels[id] ?? id).replace(/ \([\d,]+ members?\)$/, ""));
    if (await onAssign(selected, names)) setSelected([]);
    setBusy(false);
  };

  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>Assign user groups</Title>
        <Group align="flex-end">
          <MultiSelect
            label="User groups"
            placeholder={selected.length ? undefined : "Search groups"}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: o }) => o}
            data={options}
            value={selected}
            onChange={(ids) => {
              setSelected(ids);
              setLabels((prev) => ({
                ...prev,
                ...Object.fromEntries(options.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label])),
              }));
            }}
            nothingFoundMessage={groups.isFetching ? "Searching…" : "No unassigned group matches"}
            style={{ flex: 1 }}
          />
          <Button onClick={() => void onSubmit()} disabled={selected.length === 0} loading={busy}>
            Assign
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
