/**
 * Opens the console after a sign-in or sign-up in this tab: a full page load, so that nothing
 * rendered for the signed-out visitor survives. `router.push` followed by `router.refresh` raced
 * under load: the refresh of the sign-up page landed after the push and put the form back.
 */
export function enterConsole(path: string): void {
  window.location.assign(path);
}
