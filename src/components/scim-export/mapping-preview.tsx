"use client";
import { Alert, Badge, Card, Code, Group, Stack, Text, Title } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import type { RouterOutputs } from "@/lib/trpc";
import { UserPicker } from "./subject-picker";

type Preview = RouterOutputs["scimExport"]["previewMapping"];

/** The exact payload the user mapping in the form would send for a chosen user (step 6's check). */
export function MappingPreview({
  subjectId,
  onSubjectChange,
  preview,
  loading,
  invalid,
}: {
  subjectId: string | null;
  onSubjectChange: (id: string | null) => void;
  preview: Preview | undefined;
  loading: boolean;
  /** The form has rows the schema refuses: nothing can be rendered until they are fixed. */
  invalid: boolean;
}) {
  return (
    <Card withBorder aria-label="Mapping preview">
      <Stack>
        <Group justify="space-between">
          <Title order={5}>Preview</Title>
          {preview && subjectId && (
            <Badge color={preview.inScope ? "green" : "gray"} variant="light">
              {preview.inScope ? "In scope" : "Not in an assigned group"}
            </Badge>
          )}
        </Group>
        <UserPicker
          label="Preview for user"
          description="Renders what this mapping — as it is in the form, saved or not — sends on create."
          value={subjectId}
          onChange={onSubjectChange}
        />
        {!subjectId ? (
          <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
            Pick a user to see the exact SCIM payload.
          </Alert>
        ) : invalid || (preview && preview.problems.length > 0) ? (
          <Text size="sm" c="red">
            Fix the rows marked in red to see the payload.
          </Text>
        ) : (
          <Code block aria-label="Payload preview" style={{ opacity: loading ? 0.6 : 1, maxHeight: 480, overflow: "auto" }}>
            {preview ? JSON.stringify(preview.createBody, null, 2) : "…"}
          </Code>
        )}
      </Stack>
    </Card>
  );
}
