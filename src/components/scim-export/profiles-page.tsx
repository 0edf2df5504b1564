"use client";
import { Anchor, Badge, Button, Stack, Text } from "@mantine/core";
import { plural } from "@/lib/plural";
import { useDisclosure } from "@mantine/hooks";
import { IconCloudUpload, IconPlus, IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { AddProfileModal } from "./add-profile-modal";
import { formatDateTime } from "@/lib/format-date";
import { profileStatusLabel, profileTypeLabel, runStatusLabel } from "./labels";

type ProfileRow = RouterOutputs["scimExport"]["list"][number];

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** IDAM → SCIM Export: the export profiles of the tenant (step 1), and Add (step 2). */
export function ProfilesPage() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const [adding, { open, close }] = useDisclosure(false);
  const state = useTableState<"name">({ sort: { field: "name", direction: "asc" }, pageSize: 25 });
  // A tenant has a handful of profiles: they come in one answer and are searched and paged here.
  const profiles = useQuery(trpc.scimExport.list.queryOptions({ tenantSlug: tenant.slug }));
  const needle = state.debouncedSearch.toLowerCase();
  const matching = (profiles.data ?? []).filter(
    (p) => !needle || p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle),
  );
  const pageRows = matching.slice((state.page - 1) * state.pageSize, state.page * state.pageSize);
  const hrefOf = (row: ProfileRow) => `/t/${tenant.slug}/scim-export/${row.id}/configuration`;

  const columns = useMemo<ColumnDef<ProfileRow>[]>(
    () => [
      {
        id: "name",
        header: "Application",
        cell: ({ row }) => (
          <Stack gap={0}>
            <Anchor component={Link} href={hrefOf(row.original)} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
              {row.original.name}
            </Anchor>
            {row.original.description && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {row.original.description}
              </Text>
            )}
          </Stack>
        ),
      },
      { id: "type", header: "Type", cell: ({ row }) => <TypeBadge type={row.original.type} /> },
      {
        id: "target",
        header: "Target",
        cell: ({ row }) =>
          row.original.baseUrl ? (
            <Text size="sm" title={row.original.baseUrl}>
              {hostOf(row.original.baseUrl)}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Not set
            </Text>
          ),
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => {
          const s = profileStatusLabel(row.original.status);
          return (
            <Badge color={s.color} variant="light">
              {s.label}
            </Badge>
          );
        },
      },
      {
        id: "synced",
        header: "Synced",
        cell: ({ row }) => (
          <Text size="sm">
            {plural(row.original.syncedUsers, "user")}, {plural(row.original.syncedGroups, "group")}
          </Text>
        ),
      },
      {
        id: "lastSync",
        header: "Last sync",
        cell: ({ row }) => {
          if (!row.original.lastSyncAt)
            return (
              <Text size="sm" c="dimmed">
                Never
              </Text>
            );
          const s = runStatusLabel(row.original.lastSyncStatus);
          return (
            <Stack gap={2}>
              <Badge color={s.color} variant="dot" size="sm">
                {s.label}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatDateTime(row.original.lastSyncAt)}
              </Text>
            </Stack>
          );
        },
      },
      {
        id: "nextSync",
        header: "Next sync",
        cell: ({ row }) => <Text size="sm">{row.original.nextSyncAt ? formatDateTime(row.original.nextSyncAt) : "Not scheduled"}</Text>,
      },
    ],
    // hrefOf is rebuilt every render but reads only tenant.slug.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [tenant.slug],
  );

  return (
    <>
      <PageHeader
        title="SCIM Export"
        description="Provision users and groups of this directory into Databricks or any SCIM 2.0 application."
        actions={
          tenant.canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={open}>
              Add
            </Button>
          )
        }
      />
      <DataTable
        label="SCIM Export profiles"
        noun="profiles"
        columns={columns}
        rows={profiles.data ? pageRows : undefined}
        total={profiles.data ? matching.length : undefined}
        loading={profiles.isLoading}
        state={state}
        getRowId={(row) => row.id}
        onRowClick={(row) => router.push(hrefOf(row))}
        filtered={Boolean(state.debouncedSearch)}
        search={{
          label: "Search profiles",
          placeholder: "Search by name",
          input: <SearchInput label="Search profiles" placeholder="Search by name" value={state.search} onChange={state.setSearch} />,
        }}
        emptyState={
          <EmptyState
            icon={IconCloudUpload}
            title="No export profiles yet"
            action={
              tenant.canWrite && (
                <Button leftSection={<IconPlus size={16} />} onClick={open}>
                  Add a profile
                </Button>
              )
            }
          >
            An export profile provisions the members of chosen user groups into an application such as Databricks, and keeps them in sync.
          </EmptyState>
        }
        noMatchState={
          <EmptyState icon={IconSearch} title="No profile matches">
            Try another name.
          </EmptyState>
        }
      />
      {profiles.isError && (
        <Text c="red" size="sm" mt="sm">
          {errorMessage(profiles.error)}
        </Text>
      )}
      <AddProfileModal opened={adding} onClose={close} />
    </>
  );
}

export function TypeBadge({ type }: { type: string }) {
  const t = profileTypeLabel(type);
  return (
    <Badge color={t.color} variant="light">
      {t.label}
    </Badge>
  );
}
