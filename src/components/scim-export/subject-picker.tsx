"use client";
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { useTRPC } from "@/lib/trpc";

type Props = { label: string; value: string | null; onChange: (id: string | null) => void; placeholder?: string; description?: string };

/** A searchable picker of directory users: the server finds the best matches as you type. */
export function UserPicker({ label, value, onChange, placeholder = "Search by name or email", description }: Props) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [query] = useDebouncedValue(search, 250);
  const users = useQuery({
    ...trpc.users.search.queryOptions({ tenantSlug: tenant.slug, query, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const data = (users.data ?? []).map((u) => ({
    value: u.id,
    label: u.email && u.email !== u.userName ? `${u.userName} (${u.email})` : u.userName,
  }));
  if (chosen && !data.some((d) => d.value === chosen.value)) data.unshift(chosen);
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      data={data}
      value={value}
      onChange={(id, option) => {
        setChosen(id && option ? { value: id, label: option.label } : null);
        onChange(id);
      }}
      nothingFoundMessage={users.isFetching ? "Searching…" : "No user matches"}
    />
  );
}
