import { Badge } from "@mantine/core";

export function UserStatusBadge({ active }: { active: boolean }) {
  return (
    <Badge color={active ? "teal" : "gray"} variant="light">
      {active ? "Active" : "Inactive"}
    </Badge>
  );
}

/** Where a user or group came from: created in the console or provisioned over SCIM. */
export function SourceBadge({ source }: { source: "CONSOLE" | "SCIM" }) {
  return (
    <Badge color={source === "SCIM" ? "violet" : "blue"} variant="outline">
      {source === "SCIM" ? "SCIM" : "Console"}
    </Badge>
  );
}
