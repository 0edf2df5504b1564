import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { ColorSchemeScript, mantineHtmlProps } from "@mantine/core";
import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "Lifecycle Console", template: "%s · Lifecycle Console" },
  description: "Users and groups in sync across systems over SCIM 2.0, signed in with SAML SSO.",
};

/**
 * The product's server gives every page request a fresh CSP nonce (src/server/http/security-headers.ts);
 * Next puts it on its own scripts, and Mantine's inline color-scheme script needs it too. Reading
 * the request headers also renders every page per request, which a per-request nonce requires.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <ColorSchemeScript nonce={nonce} defaultColorScheme="light" />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
