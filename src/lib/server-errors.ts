import type { FieldValues, Path, UseFormReturn } from "react-hook-form";

/** One refused part of a procedure's input, as the server's errorFormatter sends it (`data.zodIssues`). */
type InputIssue = { path: string; message: string };

type TrpcLikeError = { message?: string; data?: { field?: string | null; code?: string; zodIssues?: InputIssue[] | null } | null };

const FALLBACK = "Something went wrong. Try again.";

/**
 * The input issues of a refused call: the formatter's `zodIssues`, else a message that is itself
 * zod's JSON list of issues (tRPC's own message for a bad input), so that list is never shown raw.
 */
function inputIssues(error: TrpcLikeError | undefined): InputIssue[] {
  const issues = error?.data?.zodIssues;
  if (Array.isArray(issues) && issues.length > 0) return issues;
  const message = error?.message?.trim();
  if (!message?.startsWith("[")) return [];
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item: { path?: unknown; message?: unknown }) =>
      typeof item?.message === "string" ? [{ path: Array.isArray(item.path) ? item.path.join(".") : "", message: item.message }] : [],
    );
  } catch {
    return [];
  }
}

/** "source.metadataUrl" → "Metadata URL": the last segment of the path, in words. */
function fieldLabel(path: string): string {
  const last =
    path
      .split(".")
      .filter((segment) => !/^\d+$/.test(segment))
      .pop() ?? "";
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\burl\b/g, "URL")
    .replace(/\bid\b/g, "ID");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Issues as sentences a person reads: "Metadata URL: Enter the metadata URL, e.g. …" */
function readableIssues(issues: InputIssue[]): string {
  return issues
    .map((issue) => (fieldLabel(issue.path) ? `${fieldLabel(issue.path)}: ${sentence(issue.message)}` : sentence(issue.message)))
    .join(" ");
}

/** The form field an issue's path names: the whole path ("priority") or its last segment ("source.metadataUrl"). */
function formFieldOf(path: string, values: object): string | null {
  if (path in values) return path;
  const last = path.split(".").pop();
  return last && last in values ? last : null;
}

/**
 * Shows server-side validation errors under the form fields they name (a service's AppError field,
 * or each refused input of the procedure), else returns a sentence for the caller to show (alert or
 * toast). Services write messages for people, so those are shown as they are.
 */
export function applyServerError<T extends FieldValues>(form: UseFormReturn<T>, error: unknown): string | null {
  const e = error as TrpcLikeError;
  const values = form.getValues();
  const field = e?.data?.field;
  if (field && field in values) {
    form.setError(field as Path<T>, { message: e?.message || FALLBACK });
    return null;
  }
  const issues = inputIssues(e);
  if (issues.length === 0) return e?.message || FALLBACK;
  const unplaced: InputIssue[] = [];
  for (const issue of issues) {
    const name = formFieldOf(issue.path, values);
    if (name) form.setError(name as Path<T>, { message: sentence(issue.message) });
    else unplaced.push(issue);
  }
  return unplaced.length ? readableIssues(unplaced) : null;
}

/** A refused call's message for a toast or an alert: never zod's raw JSON. */
export function errorMessage(error: unknown): string {
  const e = error as TrpcLikeError;
  const issues = inputIssues(e);
  return issues.length ? readableIssues(issues) : e?.message || FALLBACK;
}
