/**
 * Prisma's WebAssembly schema engine. The CLI's native engine is downloaded from a host these
 * machines cannot reach, so migrations are computed and applied through the same engine
 * compiled to WebAssembly, talking to PostgreSQL through the `pg` driver adapter.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule() {
  engineModule ??= (async () => {
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": bg });
    const exports = instance.exports as unknown as { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(instance.exports);
    exports.__wbindgen_start();
    // The package's main module imports the .wasm file as an ES module, which Node cannot
    // load; the bindings module instantiated by hand above exports the same SchemaEngine.
    return bg;
  })();
  return engineModule;
}

const noFilters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(datamodel: string, databaseUrl: string, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = new PrismaPg(pool);
  const engine = await SchemaEngine.new(
    { datamodels: [["schema.prisma", datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

/** The SQL that turns a database shaped like `from` into one shaped like `to` ("" when none). */
export async function diffDatamodels(databaseUrl: string, from: string | null, to: string): Promise<string> {
  // The diff itself reads no database, but the engine connects when it starts.
  return withEngine(to, databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? "";
    return /^\s*(--.*\n?)*\s*$/.test(sql) ? "" : sql;
  });
}

/** Applies the pending migrations of `list` and records them in `_prisma_migrations`. */
export async function applyMigrations(databaseUrl: string, datamodel: string, list: MigrationList): Promise<string[]> {
  return withEngine(datamodel, databaseUrl, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: noFilters });
    return appliedMigrationNames;
  });
}
