/** Sign-in refusal codes in words (the server's refusalReasons, for the browser bundle). */
const labels: Record<string, string> = {
  unknown_user: "Unknown user",
  deactivated: "User deactivated",
  no_profile: "No profile for the user's groups",
  wrong_profile: "Another profile applies",
  other_tenant: "User of another organisation",
  invalid_response: "IdP response refused",
  unknown_certificate: "Signed by an unknown certificate",
  idp_error: "IdP or SSO error",
  invalid_state: "Expired or replayed sign-in",
  no_identity: "No identity sent",
};

export function reasonLabel(reason: string | null | undefined): string {
  return reason ? (labels[reason] ?? reason) : "";
}
