"use client";
import { Group, Pagination, Select, Text } from "@mantine/core";

const PAGE_SIZES = ["10", "25", "50", "100"];

/** "26–50 of 1,234", the page buttons and the page-size choice. */
export function DataTablePagination({
  page,
  pageSize,
  total,
  onPageChange,
  onPageSizeChange,
  noun,
  totalCapped = false,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
  noun: string;
  /** The server stopped counting at `total` ("10,000+"). */
  totalCapped?: boolean;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const n = new Intl.NumberFormat("en");
  return (
    <Group justify="space-between" mt="md" wrap="wrap" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0 ? `No ${noun}` : `${n.format(from)}–${n.format(to)} of ${n.format(total)}${totalCapped ? "+" : ""} ${noun}`}
      </Text>
      <Group gap="md">
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Rows per page
          </Text>
          <Select
            aria-label="Rows per page"
            data={PAGE_SIZES}
            value={String(pageSize)}
            onChange={(value) => value && onPageSizeChange(Number(value))}
            allowDeselect={false}
            w={80}
            size="xs"
          />
        </Group>
        <Pagination
          total={pages}
          value={Math.min(page, pages)}
          onChange={onPageChange}
          size="sm"
          withEdges
          getControlProps={(control) => ({ "aria-label": `${control} page` })}
        />
      </Group>
    </Group>
  );
}
