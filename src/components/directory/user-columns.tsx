"use client";
import { Stack, Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import type { DataTableColumnMeta } from "@/components/data-table/data-table";
import type { RouterOutputs } from "@/lib/trpc";
import { SourceBadge, UserStatusBadge } from "./badges";
import { formatDate } from "@/lib/format-date";
import { personName } from "./format";

export type UserRow = RouterOutputs["users"]["list"]["items"][number];

const column = createColumnHelper<UserRow>();
const meta = (m: DataTableColumnMeta) => m;

/** The columns of every users table (the Users page and a group's members). */
export const userColumns = [
  column.display({
    id: "user",
    header: "User",
    meta: meta({ sortField: "userName" }),
    cell: ({ row }) => (
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          {personName(row.original)}
        </Text>
        <Text size="xs" c="dimmed">
          {row.original.userName}
        </Text>
      </Stack>
    ),
  }),
  column.accessor("email", {
    header: "Email",
    meta: meta({ sortField: "email" }),
    cell: (c) =>
      c.getValue() ?? (
        <Text c="dimmed" size="sm">
          —
        </Text>
      ),
  }),
  column.accessor("active", {
    header: "Status",
    meta: meta({ sortField: "active", width: 110 }),
    cell: (c) => <UserStatusBadge active={c.getValue()} />,
  }),
  column.accessor("source", { header: "Source", meta: meta({ width: 124 }), cell: (c) => <SourceBadge source={c.getValue()} /> }),
  column.accessor("department", {
    header: "Department",
    cell: (c) =>
      c.getValue() ?? (
        <Text c="dimmed" size="sm">
          —
        </Text>
      ),
  }),
  column.accessor("createdAt", {
    header: "Created",
    meta: meta({ sortField: "createdAt", width: 130 }),
    cell: (c) => formatDate(c.getValue()),
  }),
];
