import type { FieldValues, Path, UseFormReturn } from "react-hook-form";

type TrpcLikeError = { message?: string; data?: { field?: string | null; code?: string } | null };

/**
 * Shows a server-side validation error under the form field it names, else returns the message
 * for the caller to show (alert or toast). Services write messages for people, so they are shown as is.
 */
export function applyServerError<T extends FieldValues>(form: UseFormReturn<T>, error: unknown): string | null {
  const e = error as TrpcLikeError;
  const message = e?.message || "Something went wrong. Try again.";
  const field = e?.data?.field;
  if (field && field in form.getValues()) {
    form.setError(field as Path<T>, { message });
    return null;
  }
  return message;
}

export function errorMessage(error: unknown): string {
  return (error as TrpcLikeError)?.message || "Something went wrong. Try again.";
}
