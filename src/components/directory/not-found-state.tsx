import { Button } from "@mantine/core";
import { IconQuestionMark } from "@tabler/icons-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

/** An unknown id, or one of another organisation: the same answer, never an error page. */
export function NotFoundState({ what, backHref, backLabel }: { what: string; backHref: string; backLabel: string }) {
  return (
    <EmptyState
      icon={IconQuestionMark}
      title={`${what} not found`}
      action={
        <Button component={Link} href={backHref} variant="light" mt="sm">
          {backLabel}
        </Button>
      }
    >
      It may have been deleted, or the link is wrong.
    </EmptyState>
  );
}

export function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: string } } | null)?.data?.code === "NOT_FOUND";
}
