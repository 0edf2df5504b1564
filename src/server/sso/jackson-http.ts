/** Jackson's errors carry an HTTP status; anything else is a 500 whose details stay in the log. */
export function jacksonError(error: unknown): Response {
  const e = error as { message?: string; statusCode?: number; status?: number };
  const status = e?.statusCode ?? e?.status ?? 500;
  if (status >= 500) console.error("[sso]", error);
  return Response.json({ error: { message: status >= 500 ? "Something went wrong." : (e?.message ?? "Bad request") } }, { status: status >= 400 && status < 600 ? status : 500 });
}
