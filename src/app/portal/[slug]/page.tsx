import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { PortalFrame } from "@/components/sso/portal-frame";
import { getPortalSession, PORTAL_COOKIE } from "@/server/sso/portal-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "User portal" };

/** The end user's page after SSO: who is signed in and their groups. */
export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await getPortalSession({ slug, token: (await cookies()).get(PORTAL_COOKIE)?.value });
  if (!session) redirect(`/portal/${encodeURIComponent(slug)}/sign-in`);
  return (
    <PortalFrame tenantName={session.tenant.name} title={`Welcome, ${session.user.name}`}>
      <Table withRowBorders={false} aria-label="Signed-in user">
        <Table.Tbody>
          <Table.Tr><Table.Th w={120}>Name</Table.Th><Table.Td>{session.user.name}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>Email</Table.Th><Table.Td>{session.user.email}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>Signed in with</Table.Th><Table.Td>{session.profile?.name ?? "—"}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap={4}>
        <Text size="sm" fw={500}>Your groups</Text>
        {session.groups.length ? (
          <Group gap="xs" aria-label="Your groups">{session.groups.map((g) => <Badge key={g.id} variant="light">{g.displayName}</Badge>)}</Group>
        ) : (
          <Text size="sm" c="dimmed">None</Text>
        )}
      </Stack>
      <form method="post" action={`/api/sso/${encodeURIComponent(session.tenant.slug)}/sign-out`}>
        <Button type="submit" variant="default" fullWidth>Sign out</Button>
      </form>
    </PortalFrame>
  );
}
