"use client";
import { Anchor, Breadcrumbs, Card, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient, useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTenant } from "@/components/shell/tenant-context";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import type { UserFormValues } from "@/lib/validation/directory";
import { CustomAttributesCard } from "./custom-attributes-card";
import { AttributeList } from "./attribute-list";
import { SourceBadge, UserStatusBadge } from "./badges";
import { formatDateTime } from "@/lib/format-date";
import { personName } from "./format";
import { NotFoundState, isNotFound } from "./not-found-state";
import { UserActions } from "./user-actions";
import { UserFormModal } from "./user-form-modal";
import { UserGroupsCard } from "./user-groups-card";

type User = RouterOutputs["users"]["get"];

function formValuesOf(user: User): UserFormValues {
  return {
    userName: user.userName,
    givenName: user.givenName ?? "",
    familyName: user.familyName ?? "",
    displayName: user.displayName ?? "",
    email: user.emails.find((e) => e.primary)?.value ?? user.emails[0]?.value ?? "",
    title: user.title ?? "",
    department: user.department ?? "",
    active: user.active,
  };
}

function multiValueList(values: User["emails"]) {
  if (values.length === 0) return null;
  return (
    <Stack gap={2}>
      {values.map((v) => (
        <span key={`${v.type}-${v.value}`}>
          {v.value}
          {(v.type || v.primary) && (
            <Text span size="xs" c="dimmed">
              {" "}
              ({[v.type, v.primary ? "primary" : null].filter(Boolean).join(", ")})
            </Text>
          )}
        </span>
      ))}
    </Stack>
  );
}

/** A user's page: attributes in readable form, status, groups, and the changes a writer may make. */
export function UserDetail({ userId }: { userId: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editOpened, editModal] = useDisclosure(false);
  const user = useQuery(trpc.users.get.queryOptions({ tenantSlug: tenant.slug, userId }));
  const update = useMutation(trpc.users.update.mutationOptions());
  const usersHref = `/t/${tenant.slug}/users`;

  if (user.isPending) {
    return (
      <Stack>
        <Skeleton height={32} width="40%" />
        <Skeleton height={220} />
      </Stack>
    );
  }
  if (user.isError) {
    return isNotFound(user.error) ? (
      <NotFoundState what="User" backHref={usersHref} backLabel="Back to users" />
    ) : (
      <Text c="red" role="alert">
        {errorMessage(user.error)}
      </Text>
    );
  }
  const u = user.data;

  const onSave = async (values: UserFormValues) => {
    const saved = await update.mutateAsync({ tenantSlug: tenant.slug, userId, ...values });
    queryClient.setQueryData(trpc.users.get.queryKey({ tenantSlug: tenant.slug, userId }), saved);
    await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
    return `${saved.userName} was updated.`;
  };

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} href={usersHref} size="sm">
          Users
        </Anchor>
        <Text size="sm">{u.userName}</Text>
      </Breadcrumbs>
      <PageHeader
        title={personName(u)}
        description={u.userName}
        actions={tenant.canWrite ? <UserActions tenantSlug={tenant.slug} user={u} onEdit={editModal.open} /> : null}
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="profile-title">
              <Title order={4} id="profile-title" mb="md">
                Profile
              </Title>
              <AttributeList
                attributes={[
                  { label: "userName", value: u.userName },
                  { label: "Display name", value: u.displayName },
                  { label: "Given name", value: u.givenName },
                  { label: "Middle name", value: u.middleName },
                  { label: "Family name", value: u.familyName },
                  { label: "Nickname", value: u.nickName },
                  { label: "Emails", value: multiValueList(u.emails) },
                  { label: "Phone numbers", value: multiValueList(u.phoneNumbers) },
                  { label: "Title", value: u.title },
                  { label: "User type", value: u.userType },
                  { label: "Preferred language", value: u.preferredLanguage },
                  { label: "Locale", value: u.locale },
                  { label: "Time zone", value: u.timezone },
                ]}
              />
            </Card>
            <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="org-title">
              <Title order={4} id="org-title" mb="md">
                Organisation
              </Title>
              <AttributeList
                attributes={[
                  { label: "Department", value: u.department },
                  { label: "Division", value: u.division },
                  { label: "Organisation", value: u.organization },
                  { label: "Cost center", value: u.costCenter },
                  { label: "Employee number", value: u.employeeNumber },
                  { label: "Manager", value: u.managerName },
                ]}
              />
            </Card>
            <CustomAttributesCard attributes={u.customAttributes} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="status-title">
              <Title order={4} id="status-title" mb="md">
                Status
              </Title>
              <Group gap="xs" mb="md">
                <UserStatusBadge active={u.active} />
                <SourceBadge source={u.source} />
              </Group>
              <AttributeList
                cols={1}
                attributes={[
                  { label: "External id", value: u.externalId },
                  { label: "Created", value: formatDateTime(u.createdAt) },
                  { label: "Last changed", value: formatDateTime(u.updatedAt) },
                  { label: "Version", value: String(u.version) },
                ]}
              />
            </Card>
            <UserGroupsCard userId={u.id} />
          </Stack>
        </Grid.Col>
      </Grid>
      <UserFormModal
        opened={editOpened}
        onClose={editModal.close}
        title="Edit user"
        submitLabel="Save"
        initialValues={formValuesOf(u)}
        notice={
          u.source === "SCIM"
            ? "This user is provisioned by your identity provider over SCIM: its next update may overwrite changes made here."
            : undefined
        }
        onSubmit={onSave}
      />
    </>
  );
}
