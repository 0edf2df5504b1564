import { SimpleGrid, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

export type Attribute = { label: string; value: ReactNode | null | undefined };

/** Label/value pairs in readable form; attributes without a value are left out. */
export function AttributeList({ attributes, cols = 2 }: { attributes: Attribute[]; cols?: number }) {
  const present = attributes.filter((a) => a.value !== null && a.value !== undefined && a.value !== "");
  if (present.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Nothing recorded.
      </Text>
    );
  return (
    <SimpleGrid cols={{ base: 1, sm: cols }} spacing="md" verticalSpacing="sm" component="dl" m={0}>
      {present.map((a) => (
        <Stack key={a.label} gap={2}>
          <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
            {a.label}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ overflowWrap: "anywhere" }}>
            {a.value}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
