import { Alert, Center, Paper } from "@mantine/core";

export const metadata = { title: "Sign-in failed" };

/** A callback that matched no sign-in started in this browser: nothing to say about any tenant. */
export default function Page() {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={460}>
        <Alert color="red" title="Sign-in failed" role="alert">
          This sign-in expired or was not started in this browser. Go back to your organisation's sign-in page and start again.
        </Alert>
      </Paper>
    </Center>
  );
}
