import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../db/migrations";

/**
 * Where the embedded default keeps its state (PostgreSQL cluster, generated secrets).
 * Git-ignored; `DATA_DIR` moves it (tests give each run its own).
 */
export function dataDir(): string {
  const dir = path.resolve(projectRoot, process.env.DATA_DIR ?? ".data");
  // Traversable: as root, PostgreSQL runs as the `postgres` user and needs to reach its folder.
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}
