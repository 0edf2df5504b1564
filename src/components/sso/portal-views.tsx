"use client";
import { Alert, Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import Link from "next/link";

/** The portal's bodies (client components: Mantine's compound parts cannot render on the server). */
export function PortalHome(props: {
  slug: string;
  name: string;
  email: string;
  profileName: string | null;
  groups: { id: string; displayName: string }[];
}) {
  return (
    <>
      <Table withRowBorders={false} aria-label="Signed-in user">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={120}>Name</Table.Th>
            <Table.Td>{props.name}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Td>{props.email}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Signed in with</Table.Th>
            <Table.Td>{props.profileName ?? "—"}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Your groups
        </Text>
        {props.groups.length ? (
          <Group gap="xs" aria-label="Your groups">
            {props.groups.map((g) => (
              <Badge key={g.id} variant="light">
                {g.displayName}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </Stack>
      <form method="post" action={`/api/sso/${encodeURIComponent(props.slug)}/sign-out`}>
        <Button type="submit" variant="default" fullWidth>
          Sign out
        </Button>
      </form>
    </>
  );
}

export function PortalRefused({ slug, message }: { slug: string; message: string }) {
  return (
    <>
      <Alert color="red" title="You are not signed in" role="alert">
        <Text size="sm">{message}</Text>
      </Alert>
      <Button component={Link} href={`/portal/${encodeURIComponent(slug)}/sign-in`} variant="light">
        Back to sign-in
      </Button>
    </>
  );
}
