import { Center, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={420} gap="lg">
        <Stack gap={2} align="center">
          <Title order={2}>Lifecycle Console</Title>
          <Text c="dimmed" size="sm">
            Provisioning and single sign-on for your organisation
          </Text>
        </Stack>
        {children}
      </Stack>
    </Center>
  );
}
