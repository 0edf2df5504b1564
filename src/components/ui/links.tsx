"use client";
import { Anchor, Button, type AnchorProps, type ButtonProps } from "@mantine/core";
import Link from "next/link";
import type { ReactNode } from "react";

/**
 * Mantine components rendered as Next links. Client-side, because server components cannot hand
 * a component (Link) to a client component as a prop.
 */
export function ButtonLink({ href, children, ...props }: ButtonProps & { href: string; children: ReactNode }) {
  return (
    <Button component={Link} href={href} {...props}>
      {children}
    </Button>
  );
}

export function AnchorLink({ href, children, ...props }: AnchorProps & { href: string; children: ReactNode }) {
  return (
    <Anchor component={Link} href={href} {...props}>
      {children}
    </Anchor>
  );
}
