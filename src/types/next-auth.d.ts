import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The ConsoleSession row this token belongs to (src/server/auth/console-sessions.ts). */
    sid?: string;
  }
}
