"use client";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";

export type TableSort<F extends string> = { field: F; direction: "asc" | "desc" };

/**
 * Paging, sorting and search state of a server-side table. Changing the search or the sort
 * goes back to page 1; the search sent to the server is debounced.
 */
export function useTableState<F extends string>(defaults: { sort: TableSort<F>; pageSize?: number }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSizeState] = useState(defaults.pageSize ?? 25);
  const [sort, setSortState] = useState<TableSort<F>>(defaults.sort);
  const [search, setSearchState] = useState("");
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);

  return {
    page,
    pageSize,
    sort,
    search,
    debouncedSearch,
    setPage,
    setPageSize: (size: number) => {
      setPageSizeState(size);
      setPage(1);
    },
    setSort: (next: TableSort<F>) => {
      setSortState(next);
      setPage(1);
    },
    setSearch: (value: string) => {
      setSearchState(value);
      setPage(1);
    },
  };
}

export type TableState<F extends string> = ReturnType<typeof useTableState<F>>;
