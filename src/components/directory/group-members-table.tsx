"use client";
import { ActionIcon, Button, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconSearch, IconUserMinus, IconUsers } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper, type RowSelectionState } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { EmptyState } from "@/components/ui/empty-state";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { confirmDanger } from "./confirm";
import { userColumns, type UserRow } from "./user-columns";

type Props = { tenantSlug: string; group: { id: string; displayName: string }; canWrite: boolean; addButton: ReactNode };

/** A group's direct members: paged, searchable, with removal of one or several. */
export function GroupMembersTable({ tenantSlug, group, canWrite, addButton }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const table = useTableState<"userName" | "displayName" | "email" | "createdAt" | "active">({
    sort: { field: "userName", direction: "asc" },
  });
  const [selected, setSelected] = useState<RowSelectionState>({});
  const members = useQuery({
    ...trpc.groups.members.queryOptions({
      tenantSlug,
      groupId: group.id,
      search: table.debouncedSearch || undefined,
      sort: table.sort.field,
      direction: table.sort.direction,
      page: table.page,
      pageSize: table.pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation(trpc.groups.removeMembers.mutationOptions());

  const removeUsers = async (users: { id: string; userName: string }[]) => {
    const what = users.length === 1 ? users[0]!.userName : `${users.length} members`;
    const confirmed = await confirmDanger({
      title: "Remove from group",
      body: `Remove ${what} from “${group.displayName}”? The users stay in the directory.`,
      confirmLabel: "Remove",
    });
    if (!confirmed) return;
    try {
      const { removed } = await remove.mutateAsync({ tenantSlug, groupId: group.id, userIds: users.map((u) => u.id) });
      setSelected({});
      await queryClient.invalidateQueries(trpc.groups.pathFilter());
      await queryClient.invalidateQueries({ queryKey: trpc.users.groups.queryKey() });
      notifications.show({ color: "teal", title: "Members removed", message: `${removed} member(s) removed from “${group.displayName}”.` });
    } catch (error) {
      notifications.show({ color: "red", title: "Not removed", message: errorMessage(error) });
    }
  };

  const columns = useMemo(() => {
    if (!canWrite) return userColumns;
    const column = createColumnHelper<UserRow>();
    return [
      ...userColumns,
      column.display({
        id: "remove",
        header: () => <span>Remove</span>,
        cell: ({ row }) => (
          <Tooltip label="Remove from group">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove ${row.original.userName} from group`}
              onClick={(event) => {
                event.stopPropagation();
                void removeUsers([row.original]);
              }}
            >
              <IconUserMinus size={16} />
            </ActionIcon>
          </Tooltip>
        ),
      }),
    ];
    // removeUsers only reads values that change with the group.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canWrite, group.id]);

  const selectedRows = (members.data?.items ?? []).filter((u) => selected[u.id]);

  return (
    <DataTable<UserRow, typeof table.sort.field>
      label={`Members of ${group.displayName}`}
      noun="members"
      columns={columns}
      rows={members.data?.items}
      total={members.data?.total}
      totalCapped={members.data?.totalCapped}
      loading={members.isPending}
      state={table}
      getRowId={(u) => u.id}
      onRowClick={(u) => router.push(`/t/${tenantSlug}/users/${u.id}`)}
      search={{
        label: "Search members",
        placeholder: "Search members…",
        input: <SearchInput label="Search members" placeholder="Search members…" value={table.search} onChange={table.setSearch} />,
      }}
      toolbar={
        canWrite && selectedRows.length > 0 ? (
          <Button
            color="red"
            variant="light"
            leftSection={<IconUserMinus size={16} />}
            loading={remove.isPending}
            onClick={() => void removeUsers(selectedRows)}
          >
            Remove selected ({selectedRows.length})
          </Button>
        ) : null
      }
      selection={canWrite ? { selected, onChange: setSelected, rowLabel: (u) => u.userName } : undefined}
      filtered={Boolean(table.debouncedSearch)}
      emptyState={
        <EmptyState icon={IconUsers} title="No members yet" action={addButton}>
          Add users from the directory, or let your identity provider push the group&apos;s members over SCIM.
        </EmptyState>
      }
      noMatchState={
        <EmptyState icon={IconSearch} title="No matching members">
          No member matches “{table.debouncedSearch}”.
        </EmptyState>
      }
    />
  );
}
