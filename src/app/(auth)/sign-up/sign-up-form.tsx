"use client";
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { applyServerError } from "@/lib/server-errors";
import { slugify } from "@/lib/slugify";
import { useTRPC } from "@/lib/trpc";
import { PASSWORD_RULE, zSignUpInput } from "@/lib/validation/tenancy";
import { enterConsole } from "@/lib/enter-console";

type Values = z.input<typeof zSignUpInput>;

export function SignUpForm({ next }: { next: string | null }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useForm<Values>({
    resolver: zodResolver(zSignUpInput),
    defaultValues: { name: "", email: "", password: "", tenantName: "", tenantSlug: "" },
  });
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { tenantSlug } = await signUp.mutateAsync(values);
      const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
      if (!result || result.error) throw new Error("Your account is ready, but signing in failed. Sign in to continue.");
      enterConsole(next ?? `/t/${tenantSlug}`);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  const tenantName = form.register("tenantName");
  const tenantSlug = form.register("tenantSlug");
  const { errors } = form.formState;

  return (
    <Paper withBorder shadow="sm" p="xl" component="form" onSubmit={onSubmit} noValidate>
      <Stack>
        <Title order={3}>Create your account</Title>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Your name" autoComplete="name" {...form.register("name")} error={errors.name?.message} />
        <TextInput label="Work email" type="email" autoComplete="email" {...form.register("email")} error={errors.email?.message} />
        <PasswordInput
          label="Password"
          description={PASSWORD_RULE}
          autoComplete="new-password"
          {...form.register("password")}
          error={errors.password?.message}
        />
        <TextInput
          label="Organisation name"
          {...tenantName}
          onChange={(event) => {
            void tenantName.onChange(event);
            if (!slugEdited) form.setValue("tenantSlug", slugify(event.currentTarget.value));
          }}
          error={errors.tenantName?.message}
        />
        <TextInput
          label="Organisation URL name"
          description="Used in your console and SCIM URLs"
          leftSection={
            <Text size="xs" c="dimmed">
              /t/
            </Text>
          }
          leftSectionWidth={36}
          {...tenantSlug}
          onChange={(event) => {
            setSlugEdited(true);
            void tenantSlug.onChange(event);
          }}
          error={errors.tenantSlug?.message}
        />
        <Button type="submit" loading={form.formState.isSubmitting}>
          Create account
        </Button>
        <Text size="sm" c="dimmed">
          Already have an account?{" "}
          <Anchor component={Link} href="/sign-in">
            Sign in
          </Anchor>
        </Text>
      </Stack>
    </Paper>
  );
}
