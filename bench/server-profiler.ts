/**
 * Loaded with `--import` into the product's server that bench/scim-import.ts spawns (only when
 * `--profile <step>` is given): over the IPC channel the bench opens, `{ profile: "start" }` starts
 * V8's CPU profiler in the server process and `{ profile: "stop", file }` writes the profile there
 * and answers `{ profiled: file }`. The server's own code is not touched: what is profiled is the
 * process `npm start` runs, loaded the same way plus this listener.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

type ProfileMessage = { profile: "start" } | { profile: "stop"; file: string };

const session = new Session();
session.connect();

process.on("message", (message: ProfileMessage) => {
  void (async () => {
    if (message.profile === "start") {
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 100 });
      await session.post("Profiler.start");
      process.send!({ profiling: true });
      return;
    }
    const { profile } = await session.post("Profiler.stop");
    await writeFile(message.file, JSON.stringify(profile));
    process.send!({ profiled: message.file });
  })();
});
// The IPC channel must not keep the server alive on its own, nor stop it from exiting on SIGTERM.
process.channel?.unref();
