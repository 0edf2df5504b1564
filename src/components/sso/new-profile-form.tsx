"use client";
import { Button, Card, Group, PasswordInput, Stack, Switch, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { IntegerField } from "@/components/form/integer-field";
import { useTenant } from "@/components/shell/tenant-context";
import { PageHeader } from "@/components/ui/page-header";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zPriority, zProfileName } from "@/lib/validation/sso";
import { CheckMetadataButton, MetadataSourceInput, metadataSourceFields, useMetadataSource } from "./metadata-source";
import { SpDetailsCard } from "./sp-details-card";

const samlSchema = z.object({ name: zProfileName, priority: zPriority, allowIdpInitiated: z.boolean(), ...metadataSourceFields });
type SamlForm = z.infer<typeof samlSchema>;

export function NewSamlProfileForm() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<SamlForm>({
    resolver: zodResolver(samlSchema),
    defaultValues: { name: "", priority: 100, allowIdpInitiated: true, metadataXml: "", metadataUrl: "" },
  });
  const metadata = useMetadataSource(form, tenant.slug, "file");
  const create = useMutation(trpc.sso.createSaml.mutationOptions());

  const save = form.handleSubmit(async (values) => {
    if (metadata.invalid(values)) return;
    try {
      const result = await create.mutateAsync({
        tenantSlug: tenant.slug,
        name: values.name,
        priority: values.priority,
        groupIds: [],
        allowIdpInitiated: values.allowIdpInitiated,
        source: metadata.sourceOf(values),
      });
      for (const warning of result.warnings)
        notifications.show({ color: "orange", title: "Saved, with a warning", message: warning, autoClose: 15000 });
      notifications.show({ color: "green", message: `Profile "${result.profile.name}" saved.` });
      await queryClient.invalidateQueries({ queryKey: trpc.sso.profiles.queryKey({ tenantSlug: tenant.slug }) });
      router.push(`/t/${tenant.slug}/auth-profiles/${result.profile.id}`);
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });

  return (
    <>
      <PageHeader
        title="New SAML profile"
        description="1. Give your IdP the service provider details below. 2. Import the IdP's metadata. 3. Save, then assign the profile to user groups."
      />
      <Stack maw={820}>
        <SpDetailsCard tenantSlug={tenant.slug} />
        <Card withBorder radius="md" padding="lg" component="form" onSubmit={save} noValidate aria-labelledby="idp-title">
          <Stack>
            <Title order={4} id="idp-title">
              Identity provider
            </Title>
            <TextInput
              label="Profile name"
              placeholder="Okta SAML"
              {...form.register("name")}
              error={form.formState.errors.name?.message}
            />
            <IntegerField
              control={form.control}
              name="priority"
              label="Priority"
              description="When a user's groups have different profiles, the lowest number wins."
              min={1}
              max={1000}
              whenEmpty={100}
            />
            <Switch
              label="Allow sign-in from the IdP's dashboard"
              description="On by default: users may also start from their identity provider, e.g. the app tile in their Okta dashboard (IdP-initiated sign-in), with the same checks as a sign-in started here. Turn it off to accept only sign-ins started at this organisation's sign-in page."
              {...form.register("allowIdpInitiated")}
              defaultChecked
            />
            <MetadataSourceInput
              state={metadata}
              label="Import IdP metadata"
              urlPlaceholder="https://your-org.okta.com/app/…/sso/saml/metadata"
              maxRows={16}
            />
            {tenant.canWrite && (
              <Group justify="flex-end">
                <CheckMetadataButton state={metadata} />
                <Button type="submit" loading={create.isPending}>
                  Save
                </Button>
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
  const form = useForm<OidcForm>({
    resolver: zodResolver(oidcSchema),
    defaultValues: { name: "", priority: 100, discoveryUrl: "", clientId: "", clientSecret: "" },
  });
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
          <IntegerField
            control={form.control}
            name="priority"
            label="Priority"
            description="When a user's groups have different profiles, the lowest number wins."
            min={1}
            max={1000}
            whenEmpty={100}
          />
          <TextInput
            label="Discovery URL or issuer"
            placeholder="https://login.example.com"
            {...form.register("discoveryUrl")}
            error={form.formState.errors.discoveryUrl?.message}
          />
          <TextInput label="Client ID" {...form.register("clientId")} error={form.formState.errors.clientId?.message} />
          <PasswordInput
            label="Client secret"
            description="Stored encrypted; it is never shown again."
            {...form.register("clientSecret")}
            error={form.formState.errors.clientSecret?.message}
          />
          {tenant.canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
    </>
  );
}
