import {
  IconAddressBook,
  IconBuildingSkyscraper,
  IconCloudUpload,
  IconDownload,
  IconFingerprint,
  IconHistory,
  IconLayoutDashboard,
  IconListDetails,
  IconLogin,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from "@tabler/icons-react";

type NavItem = { label: string; href: string; icon: Icon };
export type NavSection = { label: string; items: NavItem[] };

/** The console's areas, named as the product documents name them. `href` is relative to /t/<slug>. */
export const navigation: NavSection[] = [
  { label: "Tenant", items: [{ label: "Overview", href: "", icon: IconLayoutDashboard }] },
  {
    label: "Users & Groups",
    items: [
      { label: "Users", href: "/users", icon: IconUsers },
      { label: "User Groups", href: "/groups", icon: IconUsersGroup },
    ],
  },
  { label: "User Provider", items: [{ label: "SCIM Import", href: "/scim-import", icon: IconDownload }] },
  { label: "IDAM", items: [{ label: "SCIM Export", href: "/scim-export", icon: IconCloudUpload }] },
  { label: "Authentication", items: [{ label: "Authentication Profiles", href: "/auth-profiles", icon: IconFingerprint }] },
  {
    label: "Events / Logs",
    items: [
      { label: "Provisioning events", href: "/events", icon: IconListDetails },
      { label: "Sign-ins", href: "/events/sign-ins", icon: IconLogin },
      { label: "Audit log", href: "/events/audit", icon: IconHistory },
    ],
  },
  {
    label: "Settings",
    items: [
      { label: "Tenant", href: "/settings", icon: IconBuildingSkyscraper },
      { label: "Members", href: "/settings/members", icon: IconAddressBook },
    ],
  },
];
