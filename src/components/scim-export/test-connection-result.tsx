"use client";
import { Alert, Box, Text } from "@mantine/core";
import { IconCircleCheck, IconPlugConnectedX } from "@tabler/icons-react";
import { formatDateTime } from "@/lib/format-date";

export type ConnectionResult = {
  ok: boolean;
  kind: string;
  message: string;
  httpStatus: number | null;
  detail: string | null;
  checkedAt: Date | string | null;
};

/**
 * The Test Connection answer (step 5). The engine words the message (unreachable, TLS, 401/403
 * bad token, 404 wrong URL, not a SCIM server…) and what to check; this only lays it out.
 */
export function TestConnectionResult({ result }: { result: ConnectionResult }) {
  return (
    <Box role="region" aria-label="Test Connection result">
      <Alert
        color={result.ok ? "green" : "red"}
        icon={result.ok ? <IconCircleCheck size={18} /> : <IconPlugConnectedX size={18} />}
        title={result.ok ? "Connection succeeded" : "Connection failed"}
      >
        <Text size="sm">{result.message}</Text>
        {result.detail && result.detail !== result.message && (
          <Text size="sm" mt={4}>
            {result.detail}
          </Text>
        )}
        {result.checkedAt && (
          <Text size="xs" c="dimmed" mt={4}>
            Tested {formatDateTime(result.checkedAt)}
            {result.httpStatus ? ` · HTTP ${result.httpStatus}` : ""}
          </Text>
        )}
      </Alert>
    </Box>
  );
}
