"use client";
import { Alert, Button, Card, FileInput, Group, List, NumberInput, PasswordInput, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { useTenant } from "@/components/shell/tenant-context";
import { PageHeader } from "@/components/ui/page-header";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zPriority, zProfileName } from "@/lib/validation/sso";
import { SpDetailsCard } from "./sp-details-card";

type Source = "file" | "xml" | "url";

const samlSchema = z.object({ name: zProfileName, priority: zPriority, metadataXml: z.string().max(512 * 1024), metadataUrl: z.string() });
type SamlForm = z.infer<typeof samlSchema>;

function sourceOf(values: SamlForm, source: Source) {
  return source === "url" ? { metadataUrl: values.metadataUrl } : { metadataXml: values.metadataXml };
}

export function NewSamlProfileForm() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source>("file");
  const [fileName, setFileName] = useState<File | null>(null);
  const form = useForm<SamlForm>({ resolver: zodResolver(samlSchema), defaultValues: { name: "", priority: 100, metadataXml: "", metadataUrl: "" } });
  const preview = useMutation(trpc.sso.previewMetadata.mutationOptions());
  const create = useMutation(trpc.sso.createSaml.mutationOptions());

  const missingSource = (values: SamlForm) => {
    if (source === "url" && !values.metadataUrl.trim()) {
      form.setError("metadataUrl", { message: "Enter the IdP metadata URL." });
      return true;
    }
    if (source !== "url" && !values.metadataXml.trim()) {
      form.setError("metadataXml", { message: source === "file" ? "Choose the IdP metadata file." : "Paste the IdP metadata XML." });
      return true;
    }
    return false;
  };

  const check = form.handleSubmit(async (values) => {
    if (missingSource(values)) return;
    try {
      await preview.mutateAsync({ tenantSlug: tenant.slug, source: sourceOf(values, source) });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Metadata not valid", message });
    }
  });

  const save = form.handleSubmit(async (values) => {
    if (missingSource(values)) return;
    try {
      const result = await create.mutateAsync({ tenantSlug: tenant.slug, name: values.name, priority: values.priority, groupIds: [], source: sourceOf(values, source) });
      for (const warning of result.warnings) notifications.show({ color: "orange", title: "Saved, with a warning", message: warning, autoClose: 15000 });
      notifications.show({ color: "green", message: `Profile "${result.profile.name}" saved.` });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.profiles.queryKey({ tenantSlug: tenant.slug }) });
      router.push(`/t/${tenant.slug}/auth-profiles/${result.profile.id}`);
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });

  const metadataError = form.formState.errors.metadataXml?.message;
  return (
    <>
      <PageHeader title="New SAML profile" description="1. Give your IdP the service provider details below. 2. Import the IdP's metadata. 3. Save, then assign the profile to user groups." />
      <Stack maw={820}>
        <SpDetailsCard tenantSlug={tenant.slug} />
        <Card withBorder radius="md" padding="lg" component="form" onSubmit={save} noValidate aria-labelledby="idp-title">
          <Stack>
            <Title order={4} id="idp-title">Identity provider</Title>
            <TextInput label="Profile name" placeholder="Okta SAML" {...form.register("name")} error={form.formState.errors.name?.message} />
            <Controller
              control={form.control}
              name="priority"
              render={({ field }) => (
                <NumberInput label="Priority" description="When a user's groups have different profiles, the lowest number wins." min={1} max={1000} value={field.value} onChange={(v) => field.onChange(typeof v === "number" ? v : 100)} error={form.formState.errors.priority?.message} />
              )}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>Import IdP metadata</Text>
              <SegmentedControl
                aria-label="Metadata source"
                value={source}
                onChange={(v) => {
                  setSource(v as Source);
                  preview.reset();
                }}
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
                value={fileName}
                onChange={async (file) => {
                  setFileName(file);
                  preview.reset();
                  form.setValue("metadataXml", file ? await file.text() : "");
                  form.clearErrors("metadataXml");
                }}
                error={metadataError}
              />
            )}
            {source === "xml" && <Textarea label="IdP metadata XML" autosize minRows={6} maxRows={16} ff="monospace" {...form.register("metadataXml")} error={metadataError} />}
            {source === "url" && <TextInput label="IdP metadata URL" placeholder="https://your-org.okta.com/app/…/sso/saml/metadata" {...form.register("metadataUrl")} error={form.formState.errors.metadataUrl?.message} />}
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
            {tenant.canWrite && (
              <Group justify="flex-end">
                <Button variant="default" onClick={check} loading={preview.isPending}>Check metadata</Button>
                <Button type="submit" loading={create.isPending}>Save</Button>
              </Group>
            )}
          </Stack>
        </Card>
      </Stack>
    </>
  );
}

const oidcSchema = z.object({
  name: zProfileName,
  priority: zPriority,
  discoveryUrl: z.string().trim().url("Enter the issuer or discovery URL, e.g. https://login.example.com."),
  clientId: z.string().trim().min(1, "Enter the client id."),
  clientSecret: z.string().min(1, "Enter the client secret."),
});
type OidcForm = z.infer<typeof oidcSchema>;

export function NewOidcProfileForm({ redirectUri }: { redirectUri: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<OidcForm>({ resolver: zodResolver(oidcSchema), defaultValues: { name: "", priority: 100, discoveryUrl: "", clientId: "", clientSecret: "" } });
  const create = useMutation(trpc.sso.createOidc.mutationOptions());
  const save = form.handleSubmit(async (values) => {
    try {
      const profile = await create.mutateAsync({ tenantSlug: tenant.slug, ...values, groupIds: [] });
      notifications.show({ color: "green", message: `Profile "${profile.name}" saved.` });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.profiles.queryKey({ tenantSlug: tenant.slug }) });
      router.push(`/t/${tenant.slug}/auth-profiles/${profile.id}`);
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message: message || errorMessage(e) });
    }
  });
  return (
    <>
      <PageHeader title="New OpenID Connect profile" description={`Register this redirect URI at your OpenID Provider: ${redirectUri}`} />
      <Card withBorder radius="md" padding="lg" maw={720} component="form" onSubmit={save} noValidate>
        <Stack>
          <TextInput label="Profile name" {...form.register("name")} error={form.formState.errors.name?.message} />
          <Controller
            control={form.control}
            name="priority"
            render={({ field }) => (
              <NumberInput label="Priority" description="When a user's groups have different profiles, the lowest number wins." min={1} max={1000} value={field.value} onChange={(v) => field.onChange(typeof v === "number" ? v : 100)} error={form.formState.errors.priority?.message} />
            )}
          />
          <TextInput label="Discovery URL or issuer" placeholder="https://login.example.com" {...form.register("discoveryUrl")} error={form.formState.errors.discoveryUrl?.message} />
          <TextInput label="Client ID" {...form.register("clientId")} error={form.formState.errors.clientId?.message} />
          <PasswordInput label="Client secret" description="Stored encrypted; it is never shown again." {...form.register("clientSecret")} error={form.formState.errors.clientSecret?.message} />
          {tenant.canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending}>Save</Button>
            </Group>
          )}
        </Stack>
      </Card>
    </>
  );
}
