"use client";
import { Button } from "@mantine/core";
import { IconPlus, IconSearch, IconUsersGroup } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc";
import type { GroupFormValues } from "@/lib/validation/directory";
import { groupColumns, type GroupRow } from "./group-columns";
import { GroupFormModal } from "./group-form-modal";
import { GroupRowActions } from "./group-row-actions";

/** Users & Groups → User Groups. */
export function GroupsView() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const table = useTableState<"displayName" | "createdAt">({ sort: { field: "displayName", direction: "asc" } });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<GroupRow | null>(null);

  const list = useQuery({
    ...trpc.groups.list.queryOptions({
      tenantSlug: tenant.slug,
      search: table.debouncedSearch || undefined,
      sort: table.sort.field,
      direction: table.sort.direction,
      page: table.page,
      pageSize: table.pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const create = useMutation(trpc.groups.create.mutationOptions());
  const rename = useMutation(trpc.groups.rename.mutationOptions());

  const columns = useMemo(
    () =>
      groupColumns(
        tenant.canWrite ? (g) => <GroupRowActions tenantSlug={tenant.slug} group={g} onRename={() => setRenaming(g)} /> : undefined,
      ),
    [tenant.canWrite, tenant.slug],
  );

  const onCreate = async (values: GroupFormValues) => {
    const group = await create.mutateAsync({ tenantSlug: tenant.slug, ...values });
    await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
    return `The group “${group.displayName}” was created.`;
  };
  const onRename = async (values: GroupFormValues) => {
    const group = await rename.mutateAsync({ tenantSlug: tenant.slug, groupId: renaming!.id, ...values });
    await queryClient.invalidateQueries(trpc.groups.pathFilter());
    return `The group is now called “${group.displayName}”.`;
  };

  const createButton = tenant.canWrite ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Create group
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="User Groups"
        description="Groups decide which users are exported to connected apps and how they sign in."
        actions={createButton}
      />
      <DataTable<GroupRow, typeof table.sort.field>
        label="User groups"
        noun="groups"
        columns={columns}
        rows={list.data?.items}
        total={list.data?.total}
        loading={list.isPending}
        state={table}
        getRowId={(g) => g.id}
        onRowClick={(g) => router.push(`/t/${tenant.slug}/groups/${g.id}`)}
        search={{
          label: "Search groups",
          placeholder: "Search groups…",
          input: <SearchInput label="Search groups" placeholder="Search groups…" value={table.search} onChange={table.setSearch} />,
        }}
        filtered={Boolean(table.debouncedSearch)}
        emptyState={
          <EmptyState icon={IconUsersGroup} title="No groups yet" action={createButton}>
            Create groups here, or let your identity provider push them over SCIM.
          </EmptyState>
        }
        noMatchState={
          <EmptyState icon={IconSearch} title="No matching groups">
            No group name contains “{table.debouncedSearch}”.
          </EmptyState>
        }
      />
      <GroupFormModal
        opened={creating}
        onClose={() => setCreating(false)}
        title="Create group"
        submitLabel="Create group"
        onSubmit={onCreate}
      />
      <GroupFormModal
        opened={renaming !== null}
        onClose={() => setRenaming(null)}
        title="Rename group"
        submitLabel="Save"
        initialName={renaming?.displayName}
        onSubmit={onRename}
      />
    </>
  );
}
