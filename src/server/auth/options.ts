import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { SIGN_IN_UNAVAILABLE } from "@/lib/sign-in-errors";
import { serverEnv } from "../env";
import { AppError } from "../errors";
import { clientAddress } from "../http/client-address";
import { signInWithPassword } from "./password-sign-in";
import { endConsoleSession, isLiveConsoleSession, SESSION_SECONDS, startConsoleSession } from "./console-sessions";
import { errorFields, log } from "../observability/logger";

/** Thrown by the jwt callback for a token whose session was signed out or expired; next-auth then clears the cookie. */
class SessionEnded extends Error {
  constructor() {
    super("This console session has ended (signed out or expired).");
  }
}

/** Request headers as next-auth hands them to `authorize`: a plain object. */
function headerReader(headers: Record<string, unknown> | undefined) {
  return { get: (name: string) => (typeof headers?.[name] === "string" ? headers[name] : null) };
}

/**
 * Console (admin) sessions. Credentials sign-in needs JWT sessions in next-auth 4; the token
 * carries the account id and the id of its ConsoleSession row (`sid`), which every read requires
 * (./console-sessions.ts), and every request re-checks tenant membership in the database.
 */
export function authOptions(): NextAuthOptions {
  const appUrl = serverEnv().APP_URL;
  return {
    secret: serverEnv().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_SECONDS },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          try {
            const account = await signInWithPassword(credentials.email, credentials.password, {
              clientAddress: clientAddress(headerReader(req.headers)),
            });
            return account ? { id: account.id, email: account.email, name: account.name } : null;
          } catch (error) {
            // next-auth passes a thrown message on to signIn()'s `error` (in the URL): the form
            // shows when to retry, and nothing else of an error leaves the server.
            if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") throw new Error(error.message);
            log().error(errorFields(error), "Console sign-in failed");
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) return { ...token, sub: user.id, sid: await startConsoleSession(user.id) };
        if (!(await isLiveConsoleSession(token.sid, token.sub))) throw new SessionEnded();
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
      // Every callbackUrl next-auth follows (sign-in, sign-out) stays on the console's origin.
      redirect({ url }) {
        return new URL(safeRedirectPath(url, appUrl) ?? "/", appUrl).href;
      },
    },
    events: {
      async signOut({ token }) {
        await endConsoleSession(token?.sid);
      },
    },
    logger: {
      error(code, metadata) {
        // An ended session is an expected answer, not a fault to log.
        if (metadata instanceof SessionEnded) return;
        log().error({ metadata: metadata instanceof Error ? errorFields(metadata).err : metadata }, `[next-auth] ${code}`);
      },
    },
  };
}

export type ConsoleSession = { accountId: string; email: string; name: string };

/**
 * The signed-in console account of this request, or null. Reading the session runs the jwt
 * callback above, which refuses a token whose ConsoleSession row is gone (signed out) or expired.
 */
export async function getConsoleSession(): Promise<ConsoleSession | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { accountId: user.id, email: user.email, name: user.name ?? user.email };
}
