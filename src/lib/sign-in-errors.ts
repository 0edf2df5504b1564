/**
 * What sign-in and sign-up tell a person whose attempt failed. Shared by the server, which
 * writes them, and the forms, which must tell a message written for people from next-auth's own
 * error codes ("CredentialsSignin", "Callback", …).
 */

/** The one answer for a wrong password, an unknown email, or an email that already has an account. */
export const CREDENTIALS_MISMATCH = "That email and password do not match an account.";

const TOO_MANY_ATTEMPTS = "Too many failed sign-ins.";

/** Sign-in failed on the server's side (the database, say): the details go to the log only. */
export const SIGN_IN_UNAVAILABLE = "Signing in failed on our side. Try again in a moment.";

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `${TOO_MANY_ATTEMPTS} Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/** The message for a failed `signIn()` result: the server's own sentences as they are, anything else the generic mismatch. */
export function signInFailureMessage(error: string | null | undefined): string {
  if (error?.startsWith(TOO_MANY_ATTEMPTS) || error === SIGN_IN_UNAVAILABLE) return error;
  return CREDENTIALS_MISMATCH;
}
