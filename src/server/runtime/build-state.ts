import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const INPUTS = ["src", "prisma", "next.config.ts", "package-lock.json", "postcss.config.cjs"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/**
 * Whether the production bundle in `distDir` is missing or older than the sources, so that
 * `npm start` after a pull or an edit never serves a stale build.
 */
export function buildIsStale(root: string, distDir: string): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
}
