"use client";
import { Anchor, Badge, Card, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTenant } from "@/components/shell/tenant-context";
import { useTRPC } from "@/lib/trpc";
import { SourceBadge } from "./badges";

/** The groups a user is a direct member of, each linking to its page. */
export function UserGroupsCard({ userId }: { userId: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const groups = useQuery(trpc.users.groups.queryOptions({ tenantSlug: tenant.slug, userId }));
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="user-groups-title">
      <Group justify="space-between" mb="sm">
        <Title order={4} id="user-groups-title">
          Groups
        </Title>
        {groups.data && <Badge variant="light">{groups.data.length}</Badge>}
      </Group>
      {groups.isPending ? (
        <Loader size="sm" />
      ) : groups.isError ? (
        <Text size="sm" c="red">
          The groups could not be loaded.
        </Text>
      ) : groups.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not a member of any group. Add the user from a group&apos;s page.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
          {groups.data.map((g) => (
            <Group key={g.id} component="li" justify="space-between" wrap="nowrap">
              <Anchor component={Link} href={`/t/${tenant.slug}/groups/${g.id}`} size="sm">
                {g.displayName}
              </Anchor>
              <SourceBadge source={g.source} />
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
