import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { CSV_DATASETS, exportCsv, isCsvDataset } from "@/server/csv-export/datasets";
import { str, UsageError, type Command } from "../command";
import { parseSince } from "../since";
import { tenantFromOption } from "../tenant-option";

/** `--filter key=value`, repeated: the same filters as the console page's (and its download link's) query string. */
function filterParams(values: unknown): Record<string, string> {
  const list = Array.isArray(values) ? (values as string[]) : [];
  const params: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf("=");
    if (at <= 0) throw new UsageError(`--filter: "${item}" is not key=value.`);
    params[item.slice(0, at)] = item.slice(at + 1);
  }
  return params;
}

export const exportCsvCommand: Command = {
  name: "csv:export",
  summary: `Write a tenant's ${CSV_DATASETS.join(", ")} as CSV (streamed, any number of rows).`,
  usage:
    "npm run cli -- csv:export --tenant S --dataset events|sign-ins|audit|operations [--since 7d] [--filter key=value]… [--out file.csv]\n" +
    "  filters: events operation, result, search, to · sign-ins outcome, mode, search · audit actor, action, object, to · operations profileId, runId (both required), objectType, action, result, search",
  options: {
    tenant: { type: "string" },
    dataset: { type: "string" },
    since: { type: "string" },
    filter: { type: "string", multiple: true },
    out: { type: "string" },
  },
  required: ["tenant", "dataset"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    const dataset = str(values, "dataset");
    if (!isCsvDataset(dataset)) throw new UsageError(`--dataset: one of ${CSV_DATASETS.join(", ")}.`);
    const params = filterParams((values as Record<string, unknown>).filter);
    const since = str(values, "since");
    if (since) params.from = parseSince(since).toISOString();
    let csv;
    try {
      csv = exportCsv({ tenantId: tenant.id, dataset, params });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const out = str(values, "out");
    await pipeline(Readable.fromWeb(csv.stream as NodeReadableStream<Uint8Array>), out ? createWriteStream(out) : process.stdout);
    if (out) console.error(`Wrote ${out}.`);
  },
};
