"use client";
import { Alert, Text } from "@mantine/core";
import { IconCircleCheck, IconPlugConnectedX } from "@tabler/icons-react";
import { formatDateTime } from "./format";

export type ConnectionResult = { ok: boolean; kind: string; message: string; httpStatus: number | null; detail: string | null; checkedAt: Date | string | null };

const titles: Record<string, string> = {
  ok: "Connection succeeded",
  unreachable: "The target could not be reached",
  invalid_url: "This is not a valid URL",
  timeout: "The target did not answer in time",
  tls: "The target's TLS certificate was refused",
  unauthorized: "The Secret Token was refused (401)",
  forbidden: "The Secret Token may not use SCIM (403)",
  not_found: "Nothing at this URL (404)",
  not_scim: "This is not a SCIM server",
  blocked: "This URL is not allowed",
  blocked_url: "This URL is not allowed",
  rate_limited: "The target is rate limiting (429)",
  server_error: "The target failed (5xx)",
  no_token: "No Secret Token yet",
};

/** The Test Connection answer, in words: what went wrong and what to check (step 5). */
export function TestConnectionResult({ result }: { result: ConnectionResult }) {
  const title = titles[result.kind.toLowerCase()] ?? (result.ok ? titles.ok : "Connection failed");
  return (
    <Alert
      color={result.ok ? "green" : "red"}
      icon={result.ok ? <IconCircleCheck size={18} /> : <IconPlugConnectedX size={18} />}
      title={title}
      aria-label="Test Connection result"
    >
      <Text size="sm">{result.message}</Text>
      {result.detail && <Text size="sm" mt={4}>{result.detail}</Text>}
      {result.checkedAt && (
        <Text size="xs" c="dimmed" mt={4}>
          Tested {formatDateTime(result.checkedAt)}
          {result.httpStatus ? ` · HTTP ${result.httpStatus}` : ""}
        </Text>
      )}
    </Alert>
  );
}
