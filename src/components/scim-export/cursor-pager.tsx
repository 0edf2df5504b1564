"use client";
import { Button, Group } from "@mantine/core";
import { IconChevronLeft, IconChevronRight } from "@tabler/icons-react";
import { useState } from "react";

/** Paging by cursor (the server answers a page and the cursor of the next one): a stack of the pages seen. */
export function useCursorPages() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (cursor: string) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export function CursorPager({ pages, nextCursor, newerLabel = "Newer", olderLabel = "Older" }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined; newerLabel?: string; olderLabel?: string }) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <Group justify="flex-end" gap="xs" mt="sm">
      <Button size="xs" variant="default" leftSection={<IconChevronLeft size={14} />} disabled={pages.page === 1} onClick={pages.previous}>
        {newerLabel}
      </Button>
      <Button size="xs" variant="default" rightSection={<IconChevronRight size={14} />} disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {olderLabel}
      </Button>
    </Group>
  );
}
