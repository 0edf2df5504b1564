"use client";
import { Checkbox, Group, Paper, Skeleton, Table, Text, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconChevronUp, IconSelector } from "@tabler/icons-react";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { DataTablePagination } from "./data-table-pagination";
import type { TableSort, TableState } from "./use-table-state";

/**
 * Cells break long unbroken values (emails, userNames, URLs) rather than widen the table past the
 * page, which would scroll it sideways and hide its last columns at 1440 px.
 */
export const WRAP_LONG_WORDS = { overflowWrap: "anywhere" } as const;

/** Column metadata: which server-side sort key a column sorts by, and its width. */
export type DataTableColumnMeta = { sortField?: string; width?: number | string };

type Props<T, F extends string> = {
  /** The table's accessible name. */
  label: string;
  /** Plural noun for the count line ("users"). */
  noun: string;
  columns: ColumnDef<T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  rows: T[] | undefined;
  total: number | undefined;
  /** The server stopped counting at `total`. */
  totalCapped?: boolean;
  loading: boolean;
  state: TableState<F>;
  getRowId: (row: T) => string;
  /** Shown above the table, beside the search box (filters, bulk actions). */
  toolbar?: ReactNode;
  search?: { placeholder: string; label: string; input: ReactNode };
  onRowClick?: (row: T) => void;
  /** When the collection is empty: nothing to show at all. */
  emptyState: ReactNode;
  /** When a search or filter matched nothing. */
  noMatchState: ReactNode;
  /** Is a search or filter applied? Tells the two empty states apart. */
  filtered: boolean;
  selection?: { selected: RowSelectionState; onChange: (selected: RowSelectionState) => void; rowLabel: (row: T) => string };
};

/**
 * A server-side table: the server pages, sorts and searches; this renders one page of rows with
 * sortable headers, a loading skeleton, the two empty states and the pagination footer.
 */
export function DataTable<T, F extends string>(props: Props<T, F>) {
  const { state, selection } = props;
  const table = useReactTable<T>({
    data: props.rows ?? [],
    columns: props.columns,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableRowSelection: Boolean(selection),
    state: { rowSelection: selection?.selected ?? {} },
    onRowSelectionChange: (updater) => {
      if (!selection) return;
      selection.onChange(typeof updater === "function" ? updater(selection.selected) : updater);
    },
  });

  const showEmpty = !props.loading && props.total === 0;
  const columnCount = props.columns.length + (selection ? 1 : 0);

  return (
    <Paper withBorder radius="md" p="md">
      {(props.search || props.toolbar) && (
        <Group justify="space-between" mb="md" gap="sm">
          {props.search?.input}
          {props.toolbar && <Group gap="sm">{props.toolbar}</Group>}
        </Group>
      )}
      {showEmpty ? (
        props.filtered ? (
          props.noMatchState
        ) : (
          props.emptyState
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={props.label} highlightOnHover={Boolean(props.onRowClick)} verticalSpacing="sm" aria-busy={props.loading}>
              <Table.Thead>
                {table.getHeaderGroups().map((group) => (
                  <Table.Tr key={group.id}>
                    {selection && (
                      <Table.Th w={40}>
                        <Checkbox
                          aria-label="Select all rows on this page"
                          checked={table.getIsAllPageRowsSelected()}
                          indeterminate={table.getIsSomePageRowsSelected()}
                          onChange={table.getToggleAllPageRowsSelectedHandler()}
                        />
                      </Table.Th>
                    )}
                    {group.headers.map((header) => {
                      const meta = header.column.columnDef.meta as DataTableColumnMeta | undefined;
                      return (
                        <Table.Th key={header.id} w={meta?.width} aria-sort={ariaSort(meta?.sortField, state.sort)}>
                          {meta?.sortField ? (
                            <SortButton field={meta.sortField as F} state={state}>
                              {flexRender(header.column.columnDef.header, header.getContext())}
                            </SortButton>
                          ) : (
                            flexRender(header.column.columnDef.header, header.getContext())
                          )}
                        </Table.Th>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Thead>
              <Table.Tbody>
                {props.loading && !props.rows
                  ? Array.from({ length: Math.min(state.pageSize, 8) }, (_, i) => (
                      <Table.Tr key={`skeleton-${i}`}>
                        {Array.from({ length: columnCount }, (_, j) => (
                          <Table.Td key={j}>
                            <Skeleton height={14} radius="sm" />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))
                  : table.getRowModel().rows.map((row) => (
                      <Table.Tr
                        key={row.id}
                        onClick={props.onRowClick ? () => props.onRowClick!(row.original) : undefined}
                        style={props.onRowClick ? { cursor: "pointer" } : undefined}
                        bg={row.getIsSelected() ? "var(--mantine-primary-color-light)" : undefined}
                      >
                        {selection && (
                          <Table.Td onClick={(event) => event.stopPropagation()}>
                            <Checkbox
                              aria-label={`Select ${selection.rowLabel(row.original)}`}
                              checked={row.getIsSelected()}
                              onChange={row.getToggleSelectedHandler()}
                            />
                          </Table.Td>
                        )}
                        {row.getVisibleCells().map((cell) => (
                          <Table.Td key={cell.id} style={WRAP_LONG_WORDS}>
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <DataTablePagination
            page={state.page}
            pageSize={state.pageSize}
            total={props.total ?? 0}
            onPageChange={state.setPage}
            onPageSizeChange={state.setPageSize}
            noun={props.noun}
            totalCapped={props.totalCapped}
          />
        </>
      )}
    </Paper>
  );
}

function ariaSort(field: string | undefined, sort: TableSort<string>): "ascending" | "descending" | "none" | undefined {
  if (!field) return undefined;
  if (sort.field !== field) return "none";
  return sort.direction === "asc" ? "ascending" : "descending";
}

function SortButton<F extends string>({ field, state, children }: { field: F; state: TableState<F>; children: ReactNode }) {
  const active = state.sort.field === field;
  const Icon = !active ? IconSelector : state.sort.direction === "asc" ? IconChevronUp : IconChevronDown;
  return (
    <UnstyledButton
      onClick={() => state.setSort({ field, direction: active && state.sort.direction === "asc" ? "desc" : "asc" })}
      style={{ display: "inline-flex" }}
    >
      <Group gap={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {children}
        </Text>
        <Icon size={14} stroke={1.6} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}
