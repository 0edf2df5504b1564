import { db } from "../db";

/**
 * Console sessions are next-auth JWTs, which stay valid until they expire wherever a copy is
 * kept. So each sign-in also writes a ConsoleSession row, the token names it (`sid`), every read
 * of the session requires the row, and signing out deletes it: a copied cookie dies at sign-out.
 *
 * A session lasts SESSION_SECONDS from sign-in, however active it is: the row's expiry is fixed
 * (refreshing it on every request would be a write per request).
 */
export const SESSION_SECONDS = 12 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Records a new session for the account and returns its id; the account's expired rows go at the same time. */
export async function startConsoleSession(accountId: string): Promise<string> {
  const now = new Date();
  await db().consoleSession.deleteMany({ where: { accountId, expiresAt: { lte: now } } });
  const session = await db().consoleSession.create({
    data: { accountId, expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000) },
    select: { id: true },
  });
  return session.id;
}

/** Whether `sessionId` names an unexpired session of `accountId`. */
export async function isLiveConsoleSession(sessionId: unknown, accountId: unknown): Promise<boolean> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId) || typeof accountId !== "string" || !UUID.test(accountId)) return false;
  const row = await db().consoleSession.findFirst({
    where: { id: sessionId, accountId, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  return row !== null;
}

/** Ends the session (sign-out): the token naming it is refused from now on. */
export async function endConsoleSession(sessionId: unknown): Promise<void> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return;
  await db().consoleSession.deleteMany({ where: { id: sessionId } });
}
