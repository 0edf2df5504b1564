"use client";
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { PASSWORD_RULE, zInvitedSignUpInput } from "@/lib/validation/tenancy";
import { enterConsole } from "@/lib/enter-console";

type Props = { token: string; email: string; signedInAs: string | null };

export function AcceptInvitation({ token, email, signedInAs }: Props) {
  if (signedInAs === email) return <AcceptAsSignedIn token={token} />;
  if (signedInAs) {
    return (
      <Stack>
        <Alert color="yellow">
          You are signed in as {signedInAs}. This invitation is for {email}.
        </Alert>
        <Button variant="light" onClick={() => void signOut({ callbackUrl: `/invite/${token}` })}>
          Sign out and continue
        </Button>
      </Stack>
    );
  }
  return <CreateAccountAndJoin token={token} email={email} />;
}

function AcceptAsSignedIn({ token }: { token: string }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(trpc.tenant.acceptInvitation.mutationOptions());
  return (
    <Stack>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Button
        loading={accept.isPending}
        onClick={async () => {
          try {
            const { tenantSlug } = await accept.mutateAsync({ token });
            enterConsole(`/t/${tenantSlug}`);
          } catch (e) {
            setError(errorMessage(e));
          }
        }}
      >
        Accept invitation
      </Button>
    </Stack>
  );
}

function CreateAccountAndJoin({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof zInvitedSignUpInput>>({
    resolver: zodResolver(zInvitedSignUpInput),
    defaultValues: { token, name: "", password: "" },
  });
  const signUp = useMutation(trpc.account.signUpWithInvitation.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { tenantSlug } = await signUp.mutateAsync(values);
      const result = await signIn("credentials", { email, password: values.password, redirect: false });
      if (!result || result.error) throw new Error("Your account is ready, but signing in failed. Sign in to continue.");
      enterConsole(`/t/${tenantSlug}`);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Email" value={email} readOnly />
        <TextInput label="Your name" autoComplete="name" {...form.register("name")} error={form.formState.errors.name?.message} />
        <PasswordInput
          label="Password"
          description={PASSWORD_RULE}
          autoComplete="new-password"
          {...form.register("password")}
          error={form.formState.errors.password?.message}
        />
        <Button type="submit" loading={form.formState.isSubmitting}>
          Create account and join
        </Button>
        <Text size="sm" c="dimmed">
          Already have an account?{" "}
          <Anchor component={Link} href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
            Sign in to accept
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
