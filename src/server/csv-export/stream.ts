import { csvLine } from "./csv";

/** Rows are read from PostgreSQL this many at a time: each page is one indexed query. */
export const CSV_PAGE_SIZE = 2_000;

/**
 * Every row of a query, newest first, one page at a time by keyset (the last page's last key),
 * never by OFFSET: each page costs the same however deep the export is, and no more than one page
 * is held in memory.
 */
export async function* keysetPages<R extends { id: bigint }>(
  fetchPage: (after: R | null, take: number) => Promise<R[]>,
): AsyncGenerator<R[]> {
  let after: R | null = null;
  for (;;) {
    const page = await fetchPage(after, CSV_PAGE_SIZE);
    if (page.length > 0) yield page;
    if (page.length < CSV_PAGE_SIZE) return;
    after = page[page.length - 1]!;
  }
}

/**
 * A CSV document as a byte stream: the header, then each page's lines. Pull-based, so a slow
 * reader (a browser on a slow link) slows the reads from the database instead of filling memory.
 */
export function csvStream(header: readonly string[], pages: AsyncGenerator<unknown[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLine(header)));
          return;
        }
        const next = await pages.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map(csvLine).join("")));
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
