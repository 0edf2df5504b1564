import { Center, Stack, Text, Title } from "@mantine/core";
import { ButtonLink } from "@/components/ui/links";

export default function NotFound() {
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" gap="xs">
        <Title order={2}>Not found</Title>
        <Text c="dimmed" ta="center" maw={420}>
          This page does not exist, or it belongs to an organisation you are not a member of.
        </Text>
        <ButtonLink href="/" variant="light" mt="sm">
          Go to your console
        </ButtonLink>
      </Stack>
    </Center>
  );
}
