"use client";
import { Badge, Drawer, Stack, Table, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { AnchorLink } from "@/components/ui/links";
import { formatTimestamp } from "@/lib/format-date";
import type { RouterOutputs } from "@/lib/trpc";
import { reasonLabel } from "./reason-labels";

export type SignInRow = RouterOutputs["sso"]["signIns"]["rows"][number];

export function OutcomeBadge({ outcome }: { outcome: SignInRow["outcome"] }) {
  return <Badge color={outcome === "SUCCESS" ? "green" : "red"}>{outcome === "SUCCESS" ? "Success" : "Refused"}</Badge>;
}

/**
 * One sign-in attempt in a side drawer, like a provisioning event: who, with which profile, what
 * happened and why, from where. Everything is already in the list's row, so nothing is fetched.
 */
export function SignInDetail({ signIn, tenantSlug, onClose }: { signIn: SignInRow | null; tenantSlug: string; onClose: () => void }) {
  const rows: [string, ReactNode][] = signIn
    ? [
        ["Time", formatTimestamp(signIn.at)],
        ["Outcome", <OutcomeBadge key="outcome" outcome={signIn.outcome} />],
        ["Reason", signIn.reason ? reasonLabel(signIn.reason) : "—"],
        ["Kind", signIn.mode === "TEST" ? "Admin test sign-in" : "User sign-in at the portal"],
        [
          "Directory user",
          signIn.directoryUser && signIn.directoryUserId ? (
            <AnchorLink key="user" href={`/t/${tenantSlug}/users/${signIn.directoryUserId}`}>
              {signIn.directoryUser.displayName
                ? `${signIn.directoryUser.displayName} (${signIn.directoryUser.userName})`
                : signIn.directoryUser.userName}
            </AnchorLink>
          ) : (
            "No match"
          ),
        ],
        ["Identifier sent by the IdP", signIn.email ?? "None"],
        [
          "Authentication profile",
          signIn.profileId ? (
            <AnchorLink key="profile" href={`/t/${tenantSlug}/auth-profiles/${signIn.profileId}`}>
              {signIn.profileName ?? "Open the profile"}
            </AnchorLink>
          ) : (
            (signIn.profileName ?? "—")
          ),
        ],
        ["IP address", signIn.ipAddress ?? "Unknown"],
        ["Client", signIn.userAgent ?? "Not sent"],
      ]
    : [];
  return (
    <Drawer opened={signIn !== null} onClose={onClose} position="right" size="lg" title={<Title order={4}>Sign-in</Title>}>
      {signIn && (
        <Stack>
          {signIn.detail && (
            <Text size="sm" c={signIn.outcome === "SUCCESS" ? undefined : "red"}>
              {signIn.detail}
            </Text>
          )}
          <Table variant="vertical" withTableBorder aria-label="Sign-in summary">
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w={200}>{label}</Table.Th>
                  <Table.Td style={{ wordBreak: "break-word" }}>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
