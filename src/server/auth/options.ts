import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { serverEnv } from "../env";
import { authenticate } from "../tenancy/accounts";

/**
 * Console (admin) sessions. Credentials sign-in needs JWT sessions in next-auth 4; the token
 * carries only the account id, and every request re-checks tenant membership in the database.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: serverEnv().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const account = await authenticate(credentials.email, credentials.password);
          return account ? { id: account.id, email: account.email, name: account.name } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export type ConsoleSession = { accountId: string; email: string; name: string };

export async function getConsoleSession(): Promise<ConsoleSession | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { accountId: user.id, email: user.email, name: user.name ?? user.email };
}
