/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [--top 40]`: where a V8 CPU profile (from
 * `bench:scim-import -- --profile <step>`) spent its time, as self time per function and per
 * package or source file, so a change can be aimed before it is measured. V8 samples on the wall
 * clock: a socket write that wakes PostgreSQL on a busy machine also counts the time this process
 * then waited for a CPU (`perf record -a` tells CPU from waiting).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "40" } } });
if (!positionals[0]) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top 40]");
const profile = JSON.parse(await readFile(positionals[0], "utf8")) as Profile;
const top = Number(values.top);

/** Where a script belongs: its npm package, or its path inside the repository. */
function owner(url: string): string {
  if (!url) return "(native)";
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith("node:")) return url;
  const inRepo = /\/(src|bench)\/(.*)$/.exec(url);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}` : url;
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = profile.endTime - profile.startTime;

const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = owner(url);
  const name = `${functionName || "(anonymous)"}  ${where}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byOwner.set(where, (byOwner.get(where) ?? 0) + micros);
}

function table(title: string, rows: Map<string, number>) {
  console.log(`\n${title}`);
  for (const [name, micros] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(6)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}
console.log(`${(total / 1000).toFixed(0)} ms profiled, ${profile.samples.length} samples`);
table("self time by package or file", byOwner);
table("self time by function", byFunction);
