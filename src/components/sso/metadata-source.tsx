"use client";
import { Alert, Button, FileInput, List, SegmentedControl, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { formatDate } from "@/lib/format-date";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";

/**
 * Where a SAML profile's IdP metadata comes from (file, pasted XML or URL), shared by the new
 * profile form and the re-import dialog: the fields, the "nothing given" messages, the check
 * against the server and its preview.
 */
export type MetadataSource = "file" | "xml" | "url";

/** The two form fields behind the source; spread into the form's zod object. */
export const metadataSourceFields = {
  metadataXml: z.string().max(512 * 1024, "The metadata is larger than 512 KB."),
  metadataUrl: z.string(),
};
type MetadataValues = { metadataXml: string; metadataUrl: string };

const metadataUrlSchema = z.string().url();

export function useMetadataSource<T extends FieldValues & MetadataValues>(
  form: UseFormReturn<T>,
  tenantSlug: string,
  initial: MetadataSource,
) {
  const trpc = useTRPC();
  // The hook only touches the two metadata fields, which every T has.
  const fields = form as unknown as UseFormReturn<MetadataValues>;
  const [source, setSource] = useState<MetadataSource>(initial);
  const [file, setFile] = useState<File | null>(null);
  const preview = useMutation(trpc.sso.previewMetadata.mutationOptions());

  /** What the server's `source` input expects for the chosen source. */
  const sourceOf = (values: MetadataValues) =>
    source === "url" ? { metadataUrl: values.metadataUrl.trim() } : { metadataXml: values.metadataXml };

  /**
   * Puts a message under the field and returns true when the chosen source was left empty or the
   * URL is not one: the server would refuse it too, and a message here needs no round trip.
   */
  const invalid = (values: MetadataValues) => {
    if (source === "url" && !values.metadataUrl.trim()) {
      fields.setError("metadataUrl", { message: "Enter the IdP metadata URL." });
      return true;
    }
    if (source === "url" && !metadataUrlSchema.safeParse(values.metadataUrl.trim()).success) {
      fields.setError("metadataUrl", {
        message: "This is not a URL. Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata.",
      });
      return true;
    }
    if (source !== "url" && !values.metadataXml.trim()) {
      fields.setError("metadataXml", { message: source === "file" ? "Choose the IdP metadata file." : "Paste the IdP metadata XML." });
      return true;
    }
    return false;
  };

  /**
   * "Check metadata": reads it on the server and shows what was found, or why it is not valid.
   * Only the metadata fields are checked, so it works before the rest of the form (the profile's
   * name) is filled in.
   */
  const check = async () => {
    fields.clearErrors(["metadataXml", "metadataUrl"]);
    const values = fields.getValues();
    if (invalid(values)) return;
    try {
      await preview.mutateAsync({ tenantSlug, source: sourceOf(values) });
    } catch (error) {
      const message = applyServerError(fields, error);
      if (message) notifications.show({ color: "red", title: "Metadata not valid", message });
    }
  };

  const choose = (next: MetadataSource) => {
    setSource(next);
    preview.reset();
  };
  const chooseFile = async (next: File | null) => {
    setFile(next);
    preview.reset();
    fields.setValue("metadataXml", next ? await next.text() : "");
    fields.clearErrors("metadataXml");
  };

  return { fields, source, choose, file, chooseFile, preview, sourceOf, invalid, check };
}

export type MetadataSourceState = ReturnType<typeof useMetadataSource>;

/** The source switch, the input for the chosen source and, once checked, what the metadata says. */
export function MetadataSourceInput({
  state,
  label,
  urlPlaceholder,
  maxRows = 14,
}: {
  state: MetadataSourceState;
  label?: string;
  urlPlaceholder?: string;
  maxRows?: number;
}) {
  const { fields, source, preview } = state;
  const metadataError = fields.formState.errors.metadataXml?.message;
  return (
    <Stack>
      <div>
        {label && (
          <Text size="sm" fw={500} mb={4}>
            {label}
          </Text>
        )}
        <SegmentedControl
          aria-label="Metadata source"
          value={source}
          onChange={(value) => state.choose(value as MetadataSource)}
          data={[
            { value: "file", label: "Upload file" },
            { value: "xml", label: "Paste XML" },
            { value: "url", label: "From URL" },
          ]}
        />
      </div>
      {source === "file" && (
        <FileInput
          label="IdP metadata file"
          placeholder="Choose metadata.xml"
          accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
          value={state.file}
          onChange={state.chooseFile}
          error={metadataError}
        />
      )}
      {source === "xml" && (
        <Textarea
          label="IdP metadata XML"
          autosize
          minRows={6}
          maxRows={maxRows}
          ff="monospace"
          {...fields.register("metadataXml")}
          error={metadataError}
        />
      )}
      {source === "url" && (
        <TextInput
          label="IdP metadata URL"
          placeholder={urlPlaceholder}
          {...fields.register("metadataUrl")}
          error={fields.formState.errors.metadataUrl?.message}
        />
      )}
      {preview.data && (
        <Alert color={preview.data.warnings.length ? "orange" : "green"} title="Metadata read">
          <List size="sm" spacing={2}>
            <List.Item>Entity ID: {preview.data.entityId}</List.Item>
            <List.Item>Single sign-on URL: {preview.data.ssoUrl}</List.Item>
            <List.Item>Signing certificate valid until {formatDate(preview.data.certExpiresAt)}</List.Item>
            {preview.data.warnings.map((w) => (
              <List.Item key={w}>
                <b>Warning:</b> {w}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

/** The "Check metadata" button. */
export function CheckMetadataButton({ state }: { state: MetadataSourceState }) {
  return (
    <Button variant="default" onClick={() => void state.check()} loading={state.preview.isPending}>
      Check metadata
    </Button>
  );
}
