"use client";
import { AppShell, Avatar, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconCheck, IconChevronDown, IconLogout, IconPlus } from "@tabler/icons-react";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { navigation } from "./navigation";
import { TenantProvider, type CurrentTenant } from "./tenant-context";

type Props = {
  tenant: CurrentTenant;
  tenants: { slug: string; name: string }[];
  account: { name: string; email: string };
  children: ReactNode;
};

export function ConsoleShell({ tenant, tenants, account, children }: Props) {
  const [opened, { toggle }] = useDisclosure();
  const pathname = usePathname();
  const base = `/t/${tenant.slug}`;
  // The longest matching item is the active one (/settings/members, not /settings).
  const active = navigation
    .flatMap((s) => s.items)
    .filter((i) => pathname === base + i.href || pathname.startsWith(`${base}${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;

  return (
    <TenantProvider tenant={tenant}>
      <AppShell header={{ height: 56 }} navbar={{ width: 260, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Group gap="sm">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
              <Text fw={700}>Lifecycle Console</Text>
              <TenantSwitcher current={tenant} tenants={tenants} />
            </Group>
            <AccountMenu account={account} />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Console navigation">
          <ScrollArea>
            <Stack gap="sm">
              {navigation.map((section) => (
                <div key={section.label}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>
                    {section.label}
                  </Text>
                  {section.items.map((item) => (
                    <NavLink
                      key={item.href}
                      component={Link}
                      href={base + item.href}
                      label={item.label}
                      leftSection={<item.icon size={18} stroke={1.6} />}
                      active={active === item.href}
                    />
                  ))}
                </div>
              ))}
            </Stack>
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main bg="gray.0">{children}</AppShell.Main>
      </AppShell>
    </TenantProvider>
  );
}

function TenantSwitcher({ current, tenants }: { current: CurrentTenant; tenants: Props["tenants"] }) {
  return (
    <Menu position="bottom-start" width={260} withinPortal>
      <Menu.Target>
        <UnstyledButton
          aria-label="Switch organisation"
          px="sm"
          py={4}
          style={{ borderRadius: 6, border: "1px solid var(--mantine-color-gray-3)" }}
        >
          <Group gap={6}>
            <Text size="sm" fw={500}>
              {current.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Organisations</Menu.Label>
        {tenants.map((t) => (
          <Menu.Item
            key={t.slug}
            component={Link}
            href={`/t/${t.slug}`}
            rightSection={t.slug === current.slug ? <IconCheck size={14} /> : null}
          >
            {t.name}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item component={Link} href="/new" leftSection={<IconPlus size={14} />}>
          New organisation
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function AccountMenu({ account }: { account: Props["account"] }) {
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="Account menu">
          <Avatar radius="xl" size="sm" color="indigo">
            {account.name.slice(0, 1).toUpperCase()}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="dark">
            {account.name}
          </Text>
          <Text size="xs" c="dimmed">
            {account.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={14} />} onClick={() => void signOut({ callbackUrl: "/sign-in" })}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
