import { expect, test } from "@playwright/test";

/**
 * Issue 13, item 1, against the production build: the server runs jobs in-process (no Inngest
 * settings), so /api/inngest does not exist for anyone, whatever they send.
 */
test("/api/inngest answers a plain 404 to GET, PUT and an attacker's run request", async ({ request }) => {
  const run = {
    ctx: {
      attempt: 0,
      disable_immediate_execution: false,
      run_id: "01JSECURITYTESTRUN0000000001",
      stack: { current: 0, stack: [] },
      use_api: false,
    },
    event: { data: { cron: "* * * * *" }, name: "inngest/scheduled.timer" },
    events: [{ data: { cron: "* * * * *" }, name: "inngest/scheduled.timer" }],
    steps: {},
    version: 1,
  };
  const answers = [
    await request.get("/api/inngest"),
    await request.put("/api/inngest"),
    await request.post("/api/inngest?fnId=lifecycle-console-scim-export-scheduler&stepId=step", { data: run }),
  ];
  for (const answer of answers) {
    expect(answer.status()).toBe(404);
    expect(await answer.text()).toBe("Not found\n");
    expect(Object.keys(answer.headers()).filter((name) => name.startsWith("x-inngest"))).toEqual([]);
  }
});
