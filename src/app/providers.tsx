"use client";
import { MantineProvider, createTheme } from "@mantine/core";
import { ModalsProvider } from "@mantine/modals";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { TRPCProvider } from "@/lib/trpc";
import type { AppRouter } from "@/server/trpc/router";

const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
  fontFamily: "Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  components: {
    // A badge is a word or two that must read whole: in a table its column grows to fit it,
    // instead of the badge shrinking to "DATABRI…" (its overflow-hidden grid would let it).
    Badge: { styles: { root: { minWidth: "max-content" } } },
  },
});

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            // 4xx answers are final: retrying "not found" or "forbidden" only delays the message.
            retry: (count, error) =>
              count < 2 &&
              !/^(NOT_FOUND|FORBIDDEN|UNAUTHORIZED|BAD_REQUEST)$/.test((error as { data?: { code?: string } }).data?.code ?? ""),
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] }),
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <ModalsProvider>{children}</ModalsProvider>
        </TRPCProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
