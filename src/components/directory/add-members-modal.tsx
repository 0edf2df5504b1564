"use client";
import { Alert, Button, Group, Modal, MultiSelect, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { personName } from "./format";

type Props = { opened: boolean; onClose: () => void; tenantSlug: string; group: { id: string; displayName: string } };

/** The "add members" picker: searches the directory on the server, leaving out current members. */
export function AddMembersModal({ opened, onClose, tenantSlug, group }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [error, setError] = useState<string | null>(null);
  // Labels of picked users, so that pills keep their names when the search results change.
  const labels = useRef(new Map<string, string>());

  useEffect(() => {
    if (opened) {
      setSelected([]);
      setSearch("");
      setError(null);
      labels.current.clear();
    }
  }, [opened]);

  const results = useQuery({
    ...trpc.users.search.queryOptions({ tenantSlug, query: debounced, excludeGroupId: group.id, limit: 20 }),
    enabled: opened,
  });
  const add = useMutation(trpc.groups.addMembers.mutationOptions());

  const data = useMemo(() => {
    for (const u of results.data ?? []) labels.current.set(u.id, `${personName(u)} (${u.userName})`);
    const ids = new Set([...selected, ...(results.data ?? []).map((u) => u.id)]);
    return [...ids].map((id) => ({ value: id, label: labels.current.get(id) ?? id }));
  }, [results.data, selected]);

  const submit = async () => {
    setError(null);
    if (selected.length === 0) {
      setError("Pick at least one user.");
      return;
    }
    try {
      const { added } = await add.mutateAsync({ tenantSlug, groupId: group.id, userIds: selected });
      await queryClient.invalidateQueries(trpc.groups.pathFilter());
      await queryClient.invalidateQueries({ queryKey: trpc.users.groups.queryKey() });
      notifications.show({ color: "teal", title: "Members added", message: `${added} user(s) added to “${group.displayName}”.` });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      notifications.show({ color: "red", title: "Members not added", message: errorMessage(e) });
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Add members" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Search by name, userName or email. Users already in “{group.displayName}” are not listed.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <MultiSelect
          label="Users"
          placeholder={selected.length ? "" : "Search users…"}
          data={data}
          value={selected}
          onChange={setSelected}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          // The server already filtered: show its results as they are.
          filter={({ options }) => options}
          nothingFoundMessage={results.isFetching ? "Searching…" : "No users found"}
          hidePickedOptions
          clearable
          maxDropdownHeight={280}
          comboboxProps={{ withinPortal: true }}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={add.isPending} disabled={selected.length === 0}>
            {selected.length > 1 ? `Add ${selected.length} members` : "Add members"}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
