/**
 * The writes of a dry run (Preview sync), answered without sending them: a POST gets the resource
 * back with a made-up `preview-…` id, a PATCH or PUT 200, a DELETE 204, as a target that accepts
 * them would. What the run "created" is kept, so a later read of it (the memberships stage reads a
 * group before changing its members) finds it as created instead of asking the target, which has
 * never heard of it. Reads of anything else go to the target.
 */
import { randomUUID } from "node:crypto";
import type { ScimResponse } from "./scim-client";

const PREVIEW_ID = /^\/(Users|Groups)\/(preview-[0-9a-f-]+)$/;

export class DryRunTarget {
  private readonly created = new Map<string, Record<string, unknown>>();
  /** Writes answered here instead of being sent. */
  writes = 0;

  /** The answer to a write, made up. */
  write(method: string, path: string, body: unknown): ScimResponse {
    this.writes++;
    const headers = {};
    const bare = path.split("?")[0]!;
    if (method === "POST") {
      const resource = { ...(body as object), id: `preview-${randomUUID()}` };
      this.created.set(`${bare}/${resource.id}`, resource);
      return { status: 201, body: resource, headers };
    }
    if (method === "DELETE") return { status: 204, body: null, headers };
    const id = decodeURIComponent(bare.split("/").pop() ?? "");
    return { status: 200, body: method === "PUT" ? { ...(body as object), id } : null, headers };
  }

  /** A read of an object this dry run created, answered from memory; null for anything else. */
  read(path: string): ScimResponse | null {
    const bare = path.split("?")[0]!;
    if (!PREVIEW_ID.test(bare)) return null;
    const resource = this.created.get(bare);
    return resource ? { status: 200, body: resource, headers: {} } : null;
  }
}
