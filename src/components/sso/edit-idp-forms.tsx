"use client";
import { Alert, Button, FileInput, Group, List, Modal, PasswordInput, SegmentedControl, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zOidcSettings } from "@/lib/validation/sso";

type Source = "file" | "xml" | "url";
const metadataSchema = z.object({ metadataXml: z.string().max(512 * 1024, "The metadata is larger than 512 KB."), metadataUrl: z.string() });
type MetadataForm = z.infer<typeof metadataSchema>;

/** Re-imports a SAML profile's IdP metadata (a rotated certificate, or another IdP): file, paste or URL. */
export function ReimportMetadataModal({ tenantSlug, profileId, currentUrl, opened, onClose }: { tenantSlug: string; profileId: string; currentUrl: string | null; opened: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source>(currentUrl ? "url" : "file");
  const [file, setFile] = useState<File | null>(null);
  const form = useForm<MetadataForm>({ resolver: zodResolver(metadataSchema), defaultValues: { metadataXml: "", metadataUrl: currentUrl ?? "" } });
  const preview = useMutation(trpc.sso.previewMetadata.mutationOptions());
  const replace = useMutation(trpc.sso.replaceMetadata.mutationOptions());
  const sourceOf = (v: MetadataForm) => (source === "url" ? { metadataUrl: v.metadataUrl.trim() } : { metadataXml: v.metadataXml });
  const missing = (v: MetadataForm) => {
    if (source === "url" && !v.metadataUrl.trim()) {
      form.setError("metadataUrl", { message: "Enter the IdP metadata URL." });
      return true;
    }
    if (source !== "url" && !v.metadataXml.trim()) {
      form.setError("metadataXml", { message: source === "file" ? "Choose the IdP metadata file." : "Paste the IdP metadata XML." });
      return true;
    }
    return false;
  };
  const check = form.handleSubmit(async (v) => {
    if (missing(v)) return;
    try {
      await preview.mutateAsync({ tenantSlug, source: sourceOf(v) });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Metadata not valid", message });
    }
  });
  const save = form.handleSubmit(async (v) => {
    if (missing(v)) return;
    try {
      const result = await replace.mutateAsync({ tenantSlug, profileId, source: sourceOf(v) });
      for (const warning of result.warnings) notifications.show({ color: "orange", title: "Saved, with a warning", message: warning, autoClose: 15000 });
      notifications.show({ color: "green", message: "IdP metadata replaced." });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.pathKey() });
      onClose();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });
  const metadataError = form.formState.errors.metadataXml?.message;
  return (
    <Modal opened={opened} onClose={onClose} title="Re-import IdP metadata" size="lg">
      <form onSubmit={save} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">The profile keeps its groups. Sign-ins use the new metadata as soon as you save.</Text>
          <SegmentedControl
            aria-label="Metadata source"
            value={source}
            onChange={(value) => {
              setSource(value as Source);
              preview.reset();
            }}
            data={[
              { value: "file", label: "Upload file" },
              { value: "xml", label: "Paste XML" },
              { value: "url", label: "From URL" },
            ]}
          />
          {source === "file" && (
            <FileInput
              label="IdP metadata file"
              placeholder="Choose metadata.xml"
              accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
              value={file}
              onChange={async (f) => {
                setFile(f);
                preview.reset();
                form.setValue("metadataXml", f ? await f.text() : "");
                form.clearErrors("metadataXml");
              }}
              error={metadataError}
            />
          )}
          {source === "xml" && <Textarea label="IdP metadata XML" autosize minRows={6} maxRows={14} ff="monospace" {...form.register("metadataXml")} error={metadataError} />}
          {source === "url" && <TextInput label="IdP metadata URL" {...form.register("metadataUrl")} error={form.formState.errors.metadataUrl?.message} />}
          {preview.data && (
            <Alert color={preview.data.warnings.length ? "orange" : "green"} title="Metadata read">
              <List size="sm" spacing={2}>
                <List.Item>Entity ID: {preview.data.entityId}</List.Item>
                <List.Item>Single sign-on URL: {preview.data.ssoUrl}</List.Item>
                <List.Item>Signing certificate valid until {new Date(preview.data.certExpiresAt).toLocaleDateString()}</List.Item>
                {preview.data.warnings.map((w) => <List.Item key={w}><b>Warning:</b> {w}</List.Item>)}
              </List>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={check} loading={preview.isPending}>Check metadata</Button>
            <Button type="submit" loading={replace.isPending}>Replace metadata</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type OidcForm = z.input<typeof zOidcSettings>;

/** Edits an OIDC profile's provider settings; the client secret is write-only (blank keeps it). */
export function EditOidcSettingsModal({ tenantSlug, profile, opened, onClose }: { tenantSlug: string; profile: { id: string; oidcDiscoveryUrl: string | null; oidcClientId: string | null }; opened: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<OidcForm>({ resolver: zodResolver(zOidcSettings), defaultValues: { discoveryUrl: profile.oidcDiscoveryUrl ?? "", clientId: profile.oidcClientId ?? "", clientSecret: "" } });
  const update = useMutation(trpc.sso.updateOidc.mutationOptions());
  const save = form.handleSubmit(async (v) => {
    try {
      await update.mutateAsync({ tenantSlug, profileId: profile.id, discoveryUrl: v.discoveryUrl, clientId: v.clientId, clientSecret: v.clientSecret || undefined });
      notifications.show({ color: "green", message: "OpenID Connect settings saved." });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.pathKey() });
      form.resetField("clientSecret");
      onClose();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="OpenID Connect settings" size="lg">
      <form onSubmit={save} noValidate>
        <Stack>
          <TextInput label="Discovery URL or issuer" {...form.register("discoveryUrl")} error={form.formState.errors.discoveryUrl?.message} />
          <TextInput label="Client ID" {...form.register("clientId")} error={form.formState.errors.clientId?.message} />
          <PasswordInput label="Client secret" description="Leave blank to keep the stored secret." autoComplete="new-password" {...form.register("clientSecret")} error={form.formState.errors.clientSecret?.message} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={update.isPending}>Save settings</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
