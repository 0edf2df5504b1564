/**
 * `npm run lock:platforms` — run after `npm install` changes package-lock.json.
 *
 * The npm registry these machines reach does not serve Next's macOS and Windows compiler
 * packages (@next/swc-darwin-*, @next/swc-win32-*). `npm install` then leaves them out of the
 * lock, and `npm ci` refuses a lock that lacks an optional dependency. Recording them as
 * platform-restricted optional entries makes the lock complete again; npm skips them on Linux
 * without fetching anything, and fetches them normally on a Mac or Windows machine.
 */
import { readFileSync, writeFileSync } from "node:fs";

type LockPackage = { version?: string; optional?: boolean; os?: string[]; cpu?: string[]; optionalDependencies?: Record<string, string> };
type Lock = { packages: Record<string, LockPackage> };

const PLATFORMS: Record<string, { os: string[]; cpu: string[] }> = {
  "darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "darwin-x64": { os: ["darwin"], cpu: ["x64"] },
  "win32-arm64-msvc": { os: ["win32"], cpu: ["arm64"] },
  "win32-x64-msvc": { os: ["win32"], cpu: ["x64"] },
};

const file = "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8")) as Lock;
const next = lock.packages["node_modules/next"];
const added: string[] = [];
for (const [name, version] of Object.entries(next?.optionalDependencies ?? {})) {
  const platform = PLATFORMS[name.replace("@next/swc-", "")];
  const key = `node_modules/${name}`;
  if (!platform || lock.packages[key]) continue;
  lock.packages[key] = { version, ...platform, optional: true };
  added.push(`${name}@${version}`);
}
if (added.length) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`Recorded ${added.join(", ")} in ${file}.`);
} else {
  console.log(`${file} is complete.`);
}
