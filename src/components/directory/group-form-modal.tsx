"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerError } from "@/lib/server-errors";
import { zGroupForm, type GroupFormValues } from "@/lib/validation/directory";

type Props = {
  opened: boolean;
  onClose: () => void;
  title: string;
  submitLabel: string;
  initialName?: string;
  onSubmit: (values: GroupFormValues) => Promise<string>;
};

/** Create or rename a group. */
export function GroupFormModal({ opened, onClose, title, submitLabel, initialName = "", onSubmit }: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<GroupFormValues>({ resolver: zodResolver(zGroupForm), defaultValues: { displayName: initialName } });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    if (opened) {
      form.reset({ displayName: initialName });
      setFormError(null);
    }
    // Reset only when the modal opens, not when the parent re-renders with another initialName or form object.
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
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Group name" withAsterisk data-autofocus {...form.register("displayName")} error={errors.displayName?.message} />
          <Group justify="flex-end">
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
