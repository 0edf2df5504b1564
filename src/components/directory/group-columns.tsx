"use client";
import { Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import type { DataTableColumnMeta } from "@/components/data-table/data-table";
import type { RouterOutputs } from "@/lib/trpc";
import { SourceBadge } from "./badges";
import { formatDate } from "@/lib/format-date";

export type GroupRow = RouterOutputs["groups"]["list"]["items"][number];

const column = createColumnHelper<GroupRow>();
const meta = (m: DataTableColumnMeta) => m;
const n = new Intl.NumberFormat("en");

export function groupColumns(actions?: (group: GroupRow) => React.ReactNode) {
  return [
    column.accessor("displayName", {
      header: "Group",
      meta: meta({ sortField: "displayName" }),
      cell: (c) => (
        <Text size="sm" fw={500}>
          {c.getValue()}
        </Text>
      ),
    }),
    column.accessor("memberCount", { header: "Members", meta: meta({ width: 110 }), cell: (c) => n.format(c.getValue()) }),
    column.accessor("source", { header: "Source", meta: meta({ width: 100 }), cell: (c) => <SourceBadge source={c.getValue()} /> }),
    column.accessor("createdAt", {
      header: "Created",
      meta: meta({ sortField: "createdAt", width: 130 }),
      cell: (c) => formatDate(c.getValue()),
    }),
    ...(actions
      ? [
          column.display({
            id: "actions",
            header: () => (
              <Text span size="sm" fw={600}>
                Actions
              </Text>
            ),
            meta: meta({ width: 100 }),
            cell: ({ row }) => actions(row.original),
          }),
        ]
      : []),
  ];
}
