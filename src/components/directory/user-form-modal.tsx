"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Button, Group, Modal, SimpleGrid, Stack, Switch, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { applyServerError } from "@/lib/server-errors";
import { emptyUserForm, zUserForm, type UserFormValues } from "@/lib/validation/directory";

type Props = {
  opened: boolean;
  onClose: () => void;
  title: string;
  submitLabel: string;
  initialValues?: UserFormValues;
  /** A note above the form (e.g. "managed by SCIM"). */
  notice?: string;
  /** Saves; throws the server's error, which is shown under its field or above the form. */
  onSubmit: (values: UserFormValues) => Promise<string>;
};

/** Create or edit a user. Field errors come from the shared zod schema, then from the server. */
export function UserFormModal({ opened, onClose, title, submitLabel, initialValues, notice, onSubmit }: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<UserFormValues>({ resolver: zodResolver(zUserForm), defaultValues: initialValues ?? emptyUserForm });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    if (opened) {
      form.reset(initialValues ?? emptyUserForm);
      setFormError(null);
    }
    // Reset only when the modal opens, not on every render of the parent.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const message = await onSubmit(values);
      notifications.show({ color: "teal", title: "Saved", message });
      onClose();
    } catch (error) {
      const unplaced = applyServerError(form, error);
      if (unplaced) {
        setFormError(unplaced);
        notifications.show({ color: "red", title: "Not saved", message: unplaced });
      }
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {notice && (
            <Alert color="violet" variant="light">
              {notice}
            </Alert>
          )}
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="userName"
            description="Unique in this organisation, whatever the letter case; often the email address"
            withAsterisk
            data-autofocus
            {...form.register("userName")}
            error={errors.userName?.message}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Given name" {...form.register("givenName")} error={errors.givenName?.message} />
            <TextInput label="Family name" {...form.register("familyName")} error={errors.familyName?.message} />
          </SimpleGrid>
          <TextInput label="Display name" {...form.register("displayName")} error={errors.displayName?.message} />
          <TextInput label="Email" type="email" {...form.register("email")} error={errors.email?.message} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Title" {...form.register("title")} error={errors.title?.message} />
            <TextInput label="Department" {...form.register("department")} error={errors.department?.message} />
          </SimpleGrid>
          <Controller
            control={form.control}
            name="active"
            render={({ field }) => (
              <Switch
                label="Active"
                description="Inactive users cannot sign in and are deactivated in connected apps"
                checked={field.value}
                onChange={(event) => field.onChange(event.currentTarget.checked)}
              />
            )}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={isSubmitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
