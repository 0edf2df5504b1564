import type { FieldValues, UseFormReturn } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zMetadataSource } from "./validation/sso";
import { applyServerError, errorMessage } from "./server-errors";

/** The parts of a react-hook-form the helper uses, recording the messages it places. */
function fakeForm(values: Record<string, unknown>) {
  const errors: Record<string, string> = {};
  const form = { getValues: () => values, setError: (name: string, error: { message: string }) => void (errors[name] = error.message) };
  return { form: form as unknown as UseFormReturn<FieldValues>, errors };
}

/** What tRPC's client hands over for an input zod refused: zod's JSON as the message, the issues in data. */
function refusedInput(schema: z.ZodType, input: unknown, withIssues = true) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  const zodIssues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  return { message: result.error.message, data: { code: "BAD_REQUEST", field: null, zodIssues: withIssues ? zodIssues : null } };
}

const profileInput = z.object({
  name: z.string().min(1, "Give the profile a name."),
  metadataUrl: z.string().url("Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata."),
});

describe("server errors in forms and toasts", () => {
  it("puts each refused input under its field, by full path or last segment", () => {
    const { form, errors } = fakeForm({ name: "", metadataUrl: "nope" });
    expect(
      applyServerError(form, refusedInput(z.object({ source: profileInput }), { source: { name: "", metadataUrl: "nope" } })),
    ).toBeNull();
    expect(errors).toEqual({
      name: "Give the profile a name.",
      metadataUrl: "Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata.",
    });
  });

  it("says what no field shows in a sentence, never as JSON", () => {
    const { form, errors } = fakeForm({ name: "" });
    const message = applyServerError(form, refusedInput(profileInput, { name: "", metadataUrl: "nope" }));
    expect(errors).toEqual({ name: "Give the profile a name." });
    expect(message).toBe("Metadata URL: Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata.");
  });

  it("reads zod's JSON message when the issues were not sent apart (toasts)", () => {
    const error = refusedInput(z.object({ source: zMetadataSource }), { source: { metadataUrl: "nope" } }, false);
    expect(error.message.trim().startsWith("[")).toBe(true);
    const message = errorMessage(error);
    expect(message).not.toMatch(/^\s*\[|"code"|\{/);
    expect(message).toBe("Metadata URL: Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata.");
  });

  it("keeps a service's message for people, under its field or as it is", () => {
    const { form, errors } = fakeForm({ name: "Okta" });
    expect(applyServerError(form, { message: 'A profile named "Okta" already exists.', data: { field: "name" } })).toBeNull();
    expect(errors).toEqual({ name: 'A profile named "Okta" already exists.' });
    expect(errorMessage({ message: "This is a web page, not SAML metadata." })).toBe("This is a web page, not SAML metadata.");
    expect(errorMessage(undefined)).toBe("Something went wrong. Try again.");
  });
});
