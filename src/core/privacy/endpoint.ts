/**
 * Whether text sent to an LLM endpoint leaves the machine: localhost, 127.0.0.0/8, ::1 and the hosts
 * the user lists are local; everything else (VS Code's Language Model API included) is not.
 */

/** The endpoint as the privacy check sees it: an OpenAI-compatible base URL, or VS Code's LM API (`undefined`). */
export type PrivacyEndpoint = { readonly baseUrl: string } | undefined;

/**
 * Whether a base URL points at this machine or a host the user declared local.
 * @param baseUrl The endpoint's base URL.
 * @param localHosts Extra host names treated as local (optional; default: none).
 * @returns True for local endpoints; false for others and for URLs that do not parse.
 */
export function isLocalEndpoint(baseUrl: string, localHosts: readonly string[] = []): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  if (/^::ffff:127\./.test(host)) return true;
  return localHosts.some((candidate) => candidate.trim().toLowerCase().replace(/^\[|\]$/g, '') === host);
}

/**
 * Whether the identifier check must run before sending text.
 * @param endpoint The endpoint; `undefined` is VS Code's LM API, treated as non-local.
 * @param localHosts Extra local host names.
 * @param alwaysCheck Check local endpoints too.
 * @returns True when the check must run.
 */
export function privacyCheckRequired(endpoint: PrivacyEndpoint, localHosts: readonly string[], alwaysCheck: boolean): boolean {
  if (alwaysCheck) return true;
  return endpoint === undefined || !isLocalEndpoint(endpoint.baseUrl, localHosts);
}
