"use client";
import { Anchor, Badge, Button, Card, Group, Select, Skeleton, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";

const NONE = "__none__";

/**
 * A group's authentication profile (product step 17): members of the group sign in with it.
 * A group has at most one; a user in several groups gets the one with the lowest priority number.
 */
export function GroupAuthProfileCard({ tenantSlug, groupId, canWrite }: { tenantSlug: string; groupId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.sso.groupProfile.queryOptions({ tenantSlug, groupId }));
  const profiles = useQuery(trpc.sso.profiles.queryOptions({ tenantSlug }));
  const [value, setValue] = useState<string>(NONE);
  useEffect(() => {
    if (current.data) setValue(current.data.profile?.id ?? NONE);
  }, [current.data]);
  const save = useMutation(
    trpc.sso.setGroupProfile.mutationOptions({
      onSuccess: async () => {
        notifications.show({ color: "green", message: "Authentication profile saved." });
        await queryClient.invalidateQueries({ queryKey: trpc.sso.groupProfile.queryKey({ tenantSlug, groupId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.sso.profiles.queryKey({ tenantSlug }) });
      },
      onError: (e) => notifications.show({ color: "red", title: "Not saved", message: errorMessage(e) }),
    }),
  );
  const options = [
    { value: NONE, label: "No profile (members cannot sign in)" },
    ...(profiles.data ?? []).map((p) => ({
      value: p.id,
      label: `${p.name} · ${p.protocol} · priority ${p.priority}${p.status === "DISABLED" ? " (disabled)" : ""}`,
    })),
  ];
  const dirty = (current.data?.profile?.id ?? NONE) !== value;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="auth-profile-title">
      <Title order={4} id="auth-profile-title" mb="xs">
        Authentication profile
      </Title>
      {current.isLoading || profiles.isLoading ? (
        <Skeleton h={60} />
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Members of this group sign in to the user portal with this profile. A user in several groups uses the profile with the lowest
            priority number.
          </Text>
          {canWrite ? (
            <>
              <Select
                label="Authentication profile"
                data={options}
                value={value}
                onChange={(v) => setValue(v ?? NONE)}
                allowDeselect={false}
              />
              {(profiles.data ?? []).length === 0 && (
                <Text size="sm">
                  No profiles yet.{" "}
                  <Anchor component={Link} href={`/t/${tenantSlug}/auth-profiles`}>
                    Create one
                  </Anchor>
                  .
                </Text>
              )}
              <Group justify="flex-end">
                <Button
                  disabled={!dirty}
                  loading={save.isPending}
                  onClick={() => save.mutate({ tenantSlug, groupId, profileId: value === NONE ? null : value })}
                >
                  Save
                </Button>
              </Group>
            </>
          ) : current.data?.profile ? (
            <Group gap="xs">
              <Text size="sm" fw={500}>
                {current.data.profile.name}
              </Text>
              <Badge variant="light">{current.data.profile.protocol}</Badge>
            </Group>
          ) : (
            <Text size="sm">No profile assigned.</Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
