"use client";
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zOidcSettings } from "@/lib/validation/sso";
import { CheckMetadataButton, MetadataSourceInput, metadataSourceFields, useMetadataSource } from "./metadata-source";

const metadataSchema = z.object(metadataSourceFields);
type MetadataForm = z.infer<typeof metadataSchema>;

/** Re-imports a SAML profile's IdP metadata (a rotated certificate, or another IdP): file, paste or URL. */
export function ReimportMetadataModal({
  tenantSlug,
  profileId,
  currentUrl,
  opened,
  onClose,
}: {
  tenantSlug: string;
  profileId: string;
  currentUrl: string | null;
  opened: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<MetadataForm>({
    resolver: zodResolver(metadataSchema),
    defaultValues: { metadataXml: "", metadataUrl: currentUrl ?? "" },
  });
  const metadata = useMetadataSource(form, tenantSlug, currentUrl ? "url" : "file");
  const replace = useMutation(trpc.sso.replaceMetadata.mutationOptions());
  const save = form.handleSubmit(async (v) => {
    if (metadata.invalid(v)) return;
    try {
      const result = await replace.mutateAsync({ tenantSlug, profileId, source: metadata.sourceOf(v) });
      for (const warning of result.warnings)
        notifications.show({ color: "orange", title: "Saved, with a warning", message: warning, autoClose: 15000 });
      notifications.show({ color: "green", message: "IdP metadata replaced." });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.pathKey() });
      onClose();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Re-import IdP metadata" size="lg">
      <form onSubmit={save} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            The profile keeps its groups. Sign-ins use the new metadata as soon as you save.
          </Text>
          <MetadataSourceInput state={metadata} />
          <Group justify="flex-end">
            <CheckMetadataButton state={metadata} />
            <Button type="submit" loading={replace.isPending}>
              Replace metadata
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type OidcForm = z.input<typeof zOidcSettings>;

/** Edits an OIDC profile's provider settings; the client secret is write-only (blank keeps it). */
export function EditOidcSettingsModal({
  tenantSlug,
  profile,
  opened,
  onClose,
}: {
  tenantSlug: string;
  profile: { id: string; oidcDiscoveryUrl: string | null; oidcClientId: string | null };
  opened: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<OidcForm>({
    resolver: zodResolver(zOidcSettings),
    defaultValues: { discoveryUrl: profile.oidcDiscoveryUrl ?? "", clientId: profile.oidcClientId ?? "", clientSecret: "" },
  });
  const update = useMutation(trpc.sso.updateOidc.mutationOptions());
  const save = form.handleSubmit(async (v) => {
    try {
      await update.mutateAsync({
        tenantSlug,
        profileId: profile.id,
        discoveryUrl: v.discoveryUrl,
        clientId: v.clientId,
        clientSecret: v.clientSecret || undefined,
      });
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
          <TextInput
            label="Discovery URL or issuer"
            {...form.register("discoveryUrl")}
            error={form.formState.errors.discoveryUrl?.message}
          />
          <TextInput label="Client ID" {...form.register("clientId")} error={form.formState.errors.clientId?.message} />
          <PasswordInput
            label="Client secret"
            description="Leave blank to keep the stored secret."
            autoComplete="new-password"
            {...form.register("clientSecret")}
            error={form.formState.errors.clientSecret?.message}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
