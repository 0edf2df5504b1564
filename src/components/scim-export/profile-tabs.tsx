"use client";
import { Tabs } from "@mantine/core";
import { IconAdjustments, IconArrowsExchange, IconInfoCircle, IconListDetails, IconUsersGroup } from "@tabler/icons-react";
import { usePathname, useRouter } from "next/navigation";

const PROFILE_TABS = [
  { value: "configuration", label: "Configuration", icon: IconAdjustments },
  { value: "mapping", label: "Mapping", icon: IconArrowsExchange },
  { value: "groups", label: "Groups", icon: IconUsersGroup },
  { value: "about", label: "About", icon: IconInfoCircle },
  { value: "logs", label: "Logs", icon: IconListDetails },
] as const;

/** The profile's tabs; each is its own URL (/t/<slug>/scim-export/<id>/<tab>), so links and Back work. */
export function ProfileTabs({ basePath }: { basePath: string }) {
  const pathname = usePathname();
  const router = useRouter();
  const current =
    PROFILE_TABS.find((t) => pathname === `${basePath}/${t.value}` || pathname.startsWith(`${basePath}/${t.value}/`))?.value ??
    "configuration";
  return (
    <Tabs value={current} onChange={(value) => value && value !== current && router.push(`${basePath}/${value}`)} mb="lg">
      <Tabs.List aria-label="Profile sections">
        {PROFILE_TABS.map((t) => (
          <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
