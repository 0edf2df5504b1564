"use client";
import { Badge, Group, Pagination, Paper, Select, Skeleton, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconLogin } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatTimestamp } from "@/lib/format-date";
import { useTenant } from "@/components/shell/tenant-context";
import { WRAP_LONG_WORDS } from "@/components/data-table/data-table";
import { CsvDownloadButton, csvHref } from "@/components/ui/csv-download-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc";
import { reasonLabel } from "./reason-labels";
import { OutcomeBadge, SignInDetail, type SignInRow } from "./sign-in-detail";

/** Events / Logs → Sign-ins: every end-user sign-in attempt and admin test sign-in. */
export function SignInsView() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const [outcome, setOutcome] = useState<"SUCCESS" | "REFUSED" | null>(null);
  const [mode, setMode] = useState<"PORTAL" | "TEST" | null>(null);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 300);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<25 | 50 | 100>(25);
  const [selected, setSelected] = useState<SignInRow | null>(null);
  const query = useQuery({
    ...trpc.sso.signIns.queryOptions({
      tenantSlug: tenant.slug,
      outcome: outcome ?? undefined,
      mode: mode ?? undefined,
      search: debounced || undefined,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(outcome || mode || debounced);
  const total = query.data?.total ?? 0;
  return (
    <>
      <PageHeader
        title="Sign-ins"
        description="End users' SSO sign-ins to the user portal, successful and refused, and admins' test sign-ins."
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Email"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          w={260}
        />
        <Select
          label="Outcome"
          placeholder="All"
          clearable
          data={[
            { value: "SUCCESS", label: "Success" },
            { value: "REFUSED", label: "Refused" },
          ]}
          value={outcome}
          onChange={(v) => {
            setOutcome(v as typeof outcome);
            setPage(1);
          }}
          w={160}
        />
        <Select
          label="Kind"
          placeholder="All"
          clearable
          data={[
            { value: "PORTAL", label: "User sign-in" },
            { value: "TEST", label: "Admin test" },
          ]}
          value={mode}
          onChange={(v) => {
            setMode(v as typeof mode);
            setPage(1);
          }}
          w={160}
        />
        <CsvDownloadButton href={csvHref(tenant.slug, "sign-ins", { outcome, mode, search: debounced })} />
      </Group>
      {query.isLoading ? (
        <Skeleton h={200} />
      ) : total === 0 ? (
        <EmptyState icon={IconLogin} title={filtered ? "No sign-ins match" : "No sign-ins yet"}>
          {filtered ? "Change the search or filters." : "When users sign in at the user portal, each attempt is listed here."}
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="Sign-ins" verticalSpacing="xs" highlightOnHover styles={{ td: WRAP_LONG_WORDS }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Profile</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data!.rows.map((r) => (
                <Table.Tr
                  key={r.id}
                  onClick={() => setSelected(r)}
                  onKeyDown={(e) => e.key === "Enter" && setSelected(r)}
                  tabIndex={0}
                  style={{ cursor: "pointer" }}
                >
                  <Table.Td>
                    <Text size="sm">{formatTimestamp(r.at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.directoryUser?.displayName ?? r.email ?? "—"}</Text>
                    {r.directoryUser && (
                      <Text size="xs" c="dimmed">
                        {r.directoryUser.userName}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.profileName ?? "—"}</Text>
                    {r.mode === "TEST" && (
                      <Badge size="xs" variant="outline">
                        test
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={r.outcome} />
                  </Table.Td>
                  <Table.Td>
                    {r.reason ? (
                      <Tooltip label={r.detail ?? ""} multiline w={360} disabled={!r.detail}>
                        <Text size="sm">{reasonLabel(r.reason)}</Text>
                      </Tooltip>
                    ) : (
                      "—"
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" p="sm">
            <Text size="sm" c="dimmed">
              {total} sign-in{total === 1 ? "" : "s"}
            </Text>
            <Group>
              <Select
                aria-label="Rows per page"
                data={["25", "50", "100"]}
                value={String(pageSize)}
                onChange={(v) => {
                  setPageSize(Number(v ?? 25) as 25 | 50 | 100);
                  setPage(1);
                }}
                w={90}
              />
              <Pagination total={Math.max(1, Math.ceil(total / pageSize))} value={page} onChange={setPage} />
            </Group>
          </Group>
        </Paper>
      )}
      <SignInDetail signIn={selected} tenantSlug={tenant.slug} onClose={() => setSelected(null)} />
    </>
  );
}
