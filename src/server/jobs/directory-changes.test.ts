import { captureLogs } from "@/testing/log-capture";
import { beforeEach, describe, expect, it, vi } from "vitest";

const sent: string[] = [];
let release: (() => void) | null = null;
let failNext = false;
vi.mock("./send", () => ({
  notifyDirectoryChanged: async ({ tenantId }: { tenantId: string }) => {
    sent.push(tenantId);
    if (failNext) {
      failNext = false;
      throw new Error("Inngest is down");
    }
    if (release === null) return;
    await new Promise<void>((resolve) => (release = resolve));
  },
}));

const { directoryChangeCommitted, directoryNoticesSent } = await import("./directory-changes");

beforeEach(() => {
  sent.length = 0;
  release = null;
});

describe("notices of committed directory changes", () => {
  it("a burst of writes sends one notice per tenant", async () => {
    for (let i = 0; i < 100; i++) directoryChangeCommitted("tenant-a");
    directoryChangeCommitted("tenant-b");
    expect(sent).toEqual([]); // nothing on the writer's path
    await directoryNoticesSent();
    expect(sent.sort()).toEqual(["tenant-a", "tenant-b"]);
  });

  it("writes during a send are sent once, after it", async () => {
    release = () => undefined; // the first send waits until released
    directoryChangeCommitted("tenant-a");
    await vi.waitFor(() => expect(sent).toEqual(["tenant-a"]));
    for (let i = 0; i < 10; i++) directoryChangeCommitted("tenant-a");
    const inFlight = release as () => void;
    release = null;
    inFlight();
    await directoryNoticesSent();
    expect(sent).toEqual(["tenant-a", "tenant-a"]);
  });

  it("a failed send is logged with its tenant and does not stop the next one", async () => {
    const log = captureLogs();
    failNext = true;
    directoryChangeCommitted("tenant-c");
    await directoryNoticesSent();
    expect(log.lines).toContainEqual(expect.objectContaining({ level: "error", msg: expect.stringContaining("tenant tenant-c") }));
    expect(log.lines.find((l) => l.msg?.includes("tenant tenant-c"))!.err).toBeDefined();
    directoryChangeCommitted("tenant-c");
    await directoryNoticesSent();
    expect(sent).toEqual(["tenant-c", "tenant-c"]);
    log.restore();
  });
});
