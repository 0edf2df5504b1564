"use client";
import { Alert, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { applyServerError } from "@/lib/server-errors";
import { slugify } from "@/lib/slugify";
import { useTRPC } from "@/lib/trpc";
import { zTenantName, zTenantSlug } from "@/lib/validation/tenancy";

const schema = z.object({ name: zTenantName, slug: zTenantSlug });

export function NewTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useForm<z.input<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { name: "", slug: "" } });
  const create = useMutation(trpc.account.createTenant.mutationOptions());
  const name = form.register("name");
  const slug = form.register("slug");

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { tenantSlug } = await create.mutateAsync(values);
      router.push(`/t/${tenantSlug}`);
      router.refresh();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Paper withBorder shadow="sm" p="xl" component="form" onSubmit={onSubmit} noValidate>
      <Stack>
        <Title order={3}>New organisation</Title>
        <Text size="sm" c="dimmed">
          You will be its owner. Invite others from Settings → Members.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Organisation name"
          {...name}
          onChange={(e) => {
            void name.onChange(e);
            if (!slugEdited) form.setValue("slug", slugify(e.currentTarget.value));
          }}
          error={form.formState.errors.name?.message}
        />
        <TextInput
          label="Organisation URL name"
          {...slug}
          onChange={(e) => {
            setSlugEdited(true);
            void slug.onChange(e);
          }}
          error={form.formState.errors.slug?.message}
        />
        <Button type="submit" loading={form.formState.isSubmitting}>
          Create organisation
        </Button>
      </Stack>
    </Paper>
  );
}
