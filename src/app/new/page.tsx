import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Center, Stack } from "@mantine/core";
import { getConsoleSession } from "@/server/auth/options";
import { NewTenantForm } from "@/components/settings/new-tenant-form";

export const metadata: Metadata = { title: "New organisation" };
export const dynamic = "force-dynamic";

export default async function NewTenantPage() {
  if (!(await getConsoleSession())) redirect("/sign-in?callbackUrl=/new");
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={420}>
        <NewTenantForm />
      </Stack>
    </Center>
  );
}
