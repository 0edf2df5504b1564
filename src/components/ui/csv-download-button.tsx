"use client";
import { Button } from "@mantine/core";
import { IconFileDownload } from "@tabler/icons-react";

type Params = Record<string, string | Date | null | undefined>;

/** The CSV of what the page lists, with its filters: the server streams it, however many rows. */
export function csvHref(tenantSlug: string, dataset: "events" | "sign-ins" | "audit" | "operations", params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    query.set(key, value instanceof Date ? value.toISOString() : value);
  }
  const qs = query.toString();
  return `/api/export/${encodeURIComponent(tenantSlug)}/${dataset}${qs ? `?${qs}` : ""}`;
}

export function CsvDownloadButton({ href }: { href: string }) {
  return (
    <Button component="a" href={href} download variant="default" leftSection={<IconFileDownload size={16} />}>
      Download CSV
    </Button>
  );
}
