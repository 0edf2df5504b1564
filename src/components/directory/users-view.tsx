"use client";
import { Button, SegmentedControl } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus, IconSearch, IconUsers } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc";
import type { UserFormValues } from "@/lib/validation/directory";
import { userColumns, type UserRow } from "./user-columns";
import { UserFormModal } from "./user-form-modal";

type Status = "all" | "active" | "inactive";

/** Users & Groups → Users: the tenant's directory users. */
export function UsersView() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const table = useTableState<"userName" | "displayName" | "email" | "createdAt" | "active">({
    sort: { field: "userName", direction: "asc" },
  });
  const [status, setStatus] = useState<Status>("all");
  const [createOpened, createModal] = useDisclosure(false);

  const list = useQuery({
    ...trpc.users.list.queryOptions({
      tenantSlug: tenant.slug,
      search: table.debouncedSearch || undefined,
      status,
      sort: table.sort.field,
      direction: table.sort.direction,
      page: table.page,
      pageSize: table.pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const create = useMutation(trpc.users.create.mutationOptions());

  const onCreate = async (values: UserFormValues) => {
    const user = await create.mutateAsync({ tenantSlug: tenant.slug, ...values });
    await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
    return `User ${user.userName} was created.`;
  };

  const addButton = tenant.canWrite ? (
    <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
      Add user
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone in this organisation's directory, whether added here or provisioned over SCIM."
        actions={addButton}
      />
      <DataTable<UserRow, typeof table.sort.field>
        label="Users"
        noun="users"
        columns={userColumns}
        rows={list.data?.items}
        total={list.data?.total}
        totalCapped={list.data?.totalCapped}
        loading={list.isPending}
        state={table}
        getRowId={(u) => u.id}
        onRowClick={(u) => router.push(`/t/${tenant.slug}/users/${u.id}`)}
        search={{
          label: "Search users",
          placeholder: "Search users…",
          input: <SearchInput label="Search users" placeholder="Search users…" value={table.search} onChange={table.setSearch} />,
        }}
        toolbar={
          <SegmentedControl
            aria-label="Status"
            value={status}
            onChange={(value) => {
              setStatus(value as Status);
              table.setPage(1);
            }}
            data={[
              { value: "all", label: "All" },
              { value: "active", label: "Active" },
              { value: "inactive", label: "Inactive" },
            ]}
          />
        }
        filtered={Boolean(table.debouncedSearch) || status !== "all"}
        emptyState={
          <EmptyState icon={IconUsers} title="No users yet" action={addButton}>
            Add users here, or connect your identity provider under SCIM Import to provision them automatically.
          </EmptyState>
        }
        noMatchState={
          <EmptyState icon={IconSearch} title="No matching users">
            No user matches {table.debouncedSearch ? `“${table.debouncedSearch}”` : "this filter"}. Try another search or status.
          </EmptyState>
        }
      />
      <UserFormModal opened={createOpened} onClose={createModal.close} title="Add user" submitLabel="Add user" onSubmit={onCreate} />
    </>
  );
}
