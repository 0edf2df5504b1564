"use client";
import { Badge, Button, Card, Code, Group, Stack, Text, ThemeIcon, Timeline, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconMinus, IconUserUp, IconX } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { UserPicker } from "./subject-picker";

type Result = RouterOutputs["scimExport"]["provisionUser"];
type Step = Result["steps"][number];

const outcomeColor: Record<string, string> = {
  created: "green",
  updated: "blue",
  matched: "teal",
  unchanged: "gray",
  deactivated: "orange",
  skipped: "gray",
  failed: "red",
};

/** Provision one user now and see each step, like Entra's provision on demand. */
export function ProvisionUserCard({ profileId, disabled }: { profileId: string; disabled: boolean }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const provision = useMutation(trpc.scimExport.provisionUser.mutationOptions());

  const onProvision = async () => {
    if (!userId) return;
    setResult(null);
    try {
      setResult(await provision.mutateAsync({ tenantSlug: tenant.slug, profileId, userId }));
    } catch (e) {
      notifications.show({ color: "red", title: "User not provisioned", message: errorMessage(e) });
    }
    await queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.scimExport.runs.queryKey() });
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>Provision one user</Title>
        <Text size="sm" c="dimmed">
          Checks one user against the scope, reads it on the target, provisions it now, and shows each step with what was read and the
          attributes sent.
        </Text>
        <Group align="flex-end" wrap="nowrap">
          <div style={{ flex: 1 }}>
            <UserPicker label="User" value={userId} onChange={setUserId} />
          </div>
          <Button
            leftSection={<IconUserUp size={16} />}
            onClick={() => void onProvision()}
            loading={provision.isPending}
            disabled={disabled || !userId}
          >
            Provision
          </Button>
        </Group>
        {result && (
          <Stack gap="xs" aria-label="Provisioning steps">
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {result.userName}
              </Text>
              <Badge color={outcomeColor[result.outcome] ?? "gray"} variant="light">
                {result.outcome}
              </Badge>
            </Group>
            <Timeline bulletSize={22} lineWidth={2}>
              {result.steps.map((step, i) => (
                <Timeline.Item key={`${step.step}-${i}`} bullet={<StepIcon status={step.status} />} title={step.title}>
                  <Text size="sm" c={step.status === "failed" ? "red" : "dimmed"}>
                    {step.detail}
                  </Text>
                  {step.step === "match" && isReadData(step.data) ? (
                    <ReadOnTarget data={step.data} />
                  ) : (
                    step.data !== undefined && step.data !== null && <Json value={step.data} />
                  )}
                </Timeline.Item>
              ))}
            </Timeline>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

const Json = ({ value }: { value: unknown }) => (
  <Code block mt={4} style={{ maxHeight: 240, overflow: "auto", whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
    {JSON.stringify(value, null, 2)}
  </Code>
);

type ReadData = {
  read: { request: string; status: number | null; resource: unknown } | null;
  lookups: { request: string; status: number | null; found: unknown }[];
};

function isReadData(data: unknown): data is ReadData {
  return !!data && typeof data === "object" && "read" in data && "lookups" in data;
}

/** What Provision one user read on the target before deciding: the request, its answer, and the user as the target holds it. */
function ReadOnTarget({ data }: { data: ReadData }) {
  const reads = [
    ...(data.read ? [{ request: data.read.request, status: data.read.status, body: data.read.resource }] : []),
    ...data.lookups.map((l) => ({ request: l.request, status: l.status, body: l.found })),
  ];
  if (reads.length === 0) return null;
  return (
    <Stack gap={4} mt={4} aria-label="Read on the target">
      {reads.map((r, i) => (
        <div key={i}>
          <Text size="xs" c="dimmed">
            Read on the target: <Code>{r.request}</Code> → {r.status ?? "no answer"}
            {r.body === null ? " (nothing found)" : ""}
          </Text>
          {r.body !== null && r.body !== undefined && <Json value={r.body} />}
        </div>
      ))}
    </Stack>
  );
}

function StepIcon({ status }: { status: Step["status"] }) {
  const color = status === "ok" ? "green" : status === "failed" ? "red" : "gray";
  const Icon = status === "ok" ? IconCheck : status === "failed" ? IconX : IconMinus;
  return (
    <ThemeIcon color={color} radius="xl" size={22} aria-label={status}>
      <Icon size={14} />
    </ThemeIcon>
  );
}
