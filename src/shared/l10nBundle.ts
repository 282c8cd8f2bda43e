/**
 * How the host hands its translations to the panel webview, which cannot call `vscode.l10n`: the host
 * writes `vscode.l10n.bundle` as JSON into a `<script type="application/json">` element of the page (a
 * data block, never executed, so the CSP's nonce rule does not apply to it) and the webview reads it
 * back. Both sides use this module so the element id and the escaping stay in step.
 */

/** The id of the `<script type="application/json">` element that carries the bundle. */
export const l10nBundleElementId = 'biowrite-l10n';

/** Translations keyed by the English message, as `vscode.l10n.bundle` holds them. */
export type L10nBundle = Readonly<Record<string, string>>;

/**
 * Keeps the usable entries of an untrusted bundle: own keys whose value is a string, or an object with a
 * string `message` (the form `bundle.l10n.json` uses for entries with a comment). Anything else is dropped,
 * so its lookup falls back to English. A `Map` is returned so keys such as `__proto__` or `constructor`
 * are plain data.
 * @param value The parsed bundle, of any shape.
 */
export function sanitizeL10nBundle(value: unknown): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return entries;
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry === 'string') entries.set(key, entry);
    else if (typeof entry === 'object' && entry !== null && typeof (entry as { message?: unknown }).message === 'string') {
      entries.set(key, (entry as { message: string }).message);
    }
  }
  return entries;
}

/**
 * The bundle as JSON that is safe as the text of a `<script type="application/json">` element: `<`, `>`
 * and `&` are written as `\u003c`, `\u003e` and `\u0026`, so no value can close the element (`</script>`)
 * or open a comment (`<!--`) that would change where the browser ends it; `JSON.parse` reads them back
 * unchanged. U+2028 and U+2029 are escaped too, for tools that still treat them as line ends.
 * @param bundle `vscode.l10n.bundle`; `undefined` (English) gives `{}`.
 */
export function serializeL10nBundle(bundle: L10nBundle | undefined): string {
  const json = JSON.stringify(Object.fromEntries(sanitizeL10nBundle(bundle)));
  return json.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Reads the text of the bundle element back; malformed or missing text gives an empty bundle (English).
 * @param text The element's `textContent`, if there is one.
 */
export function parseL10nBundle(text: string | null | undefined): Map<string, string> {
  if (!text) return new Map();
  try {
    return sanitizeL10nBundle(JSON.parse(text));
  } catch {
    return new Map();
  }
}
