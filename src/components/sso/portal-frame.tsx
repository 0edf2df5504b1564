"use client";
import { Center, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** The end-user portal's frame: no console navigation, nothing of the admin console. */
export function PortalFrame({ tenantName, title, children }: { tenantName: string; title: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={460} maw="100%">
        <Stack>
          <div>
            <Text size="sm" c="dimmed">
              {tenantName}
            </Text>
            <Title order={2}>{title}</Title>
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
