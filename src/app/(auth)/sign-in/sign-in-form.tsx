"use client";
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { signInFailureMessage } from "@/lib/sign-in-errors";
import { enterConsole } from "@/lib/enter-console";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email.").pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password."),
});

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setError(signInFailureMessage(result?.error));
      return;
    }
    enterConsole(next);
  });

  return (
    <Paper withBorder shadow="sm" p="xl" component="form" onSubmit={onSubmit} noValidate>
      <Stack>
        <Title order={3}>Sign in</Title>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          {...form.register("email")}
          error={form.formState.errors.email?.message}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          {...form.register("password")}
          error={form.formState.errors.password?.message}
        />
        <Button type="submit" loading={form.formState.isSubmitting}>
          Sign in
        </Button>
        <Text size="sm" c="dimmed">
          New here?{" "}
          <Anchor component={Link} href={`/sign-up${next !== "/" ? `?callbackUrl=${encodeURIComponent(next)}` : ""}`}>
            Create an account
          </Anchor>
        </Text>
      </Stack>
    </Paper>
  );
}
