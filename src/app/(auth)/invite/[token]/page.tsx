import type { Metadata } from "next";
import { Alert, Paper, Stack, Text, Title } from "@mantine/core";
import { AnchorLink } from "@/components/ui/links";
import { getConsoleSession } from "@/server/auth/options";
import { AppError } from "@/server/errors";
import { describeInvitation } from "@/server/tenancy/invitations";
import { roleLabel } from "@/components/settings/role-labels";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(token).catch((error: unknown) => {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  });
  if ("error" in invitation) {
    return (
      <Paper withBorder p="xl">
        <Stack>
          <Title order={3}>Invitation</Title>
          <Alert color="red" role="alert">
            {invitation.error}
          </Alert>
          <AnchorLink href="/sign-in">Go to sign in</AnchorLink>
        </Stack>
      </Paper>
    );
  }
  const session = await getConsoleSession();
  return (
    <Paper withBorder shadow="sm" p="xl">
      <Stack>
        <Title order={3}>Join {invitation.tenantName}</Title>
        <Text size="sm">
          {invitation.invitedBy} invited <b>{invitation.email}</b> to join as <b>{roleLabel[invitation.role]}</b>.
        </Text>
        <AcceptInvitation token={token} email={invitation.email} signedInAs={session?.email ?? null} />
      </Stack>
    </Paper>
  );
}
