import * as l10n from '@vscode/l10n';
import { LlmError, type LlmErrorKind } from './types';

/** What the classifier knows about the request that failed, to write a message with a next step. */
export interface FailureContext {
  /** The endpoint, e.g. `http://localhost:11434/v1`. */
  readonly baseUrl: string;
  /** The model that was asked for. */
  readonly model: string;
  /** The caller's signal: when it fired, the failure is an abort whatever the transport says. */
  readonly signal?: AbortSignal;
  /** Set when the request's deadline passed: the time allowed for it, retries included (optional; default: false). */
  readonly timedOut?: boolean;
  /** The time allowed for one request, for the message (optional). */
  readonly timeoutMs?: number;
  /** Whether the answer had begun to arrive when the deadline passed (optional; default: false). */
  readonly answerStarted?: boolean;
  /** A few models the endpoint offers, for a `modelNotFound` message (optional). */
  readonly availableModels?: readonly string[];
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const refusedCodes = new Set(['ECONNREFUSED']);
const timeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ESOCKETTIMEDOUT']);
const unreachableCodes = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN']);
const closedCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);
const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** Every error reachable through `cause` links and `AggregateError.errors`, outermost first, without cycles. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 32) {
    const current = pending.shift();
    if (current === undefined || current === null || chain.includes(current)) continue;
    chain.push(current);
    if (typeof current === 'object') {
      const record = current as { cause?: unknown; errors?: unknown };
      if (record.cause !== undefined) pending.push(record.cause);
      if (Array.isArray(record.errors)) pending.push(...record.errors);
    }
  }
  return chain;
}

function codesOf(chain: readonly unknown[]): string[] {
  return chain.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const code = (item as { code?: unknown }).code;
    return typeof code === 'string' ? [code] : [];
  });
}

function namesOf(chain: readonly unknown[]): string[] {
  return chain.flatMap((item) => (item instanceof Error ? [item.name, item.constructor.name] : []));
}

function messagesOf(chain: readonly unknown[]): string {
  return chain.map((item) => (item instanceof Error ? item.message : String(item))).join(' | ');
}

function statusOf(chain: readonly unknown[]): number | undefined {
  for (const item of chain) {
    if (typeof item !== 'object' || item === null) continue;
    const status = (item as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 100 && status < 600) return status;
  }
  return undefined;
}

/** The server's own explanation from an OpenAI-shaped error body, trimmed for display. */
function serverMessageOf(chain: readonly unknown[]): string | undefined {
  for (const item of chain) {
    if (typeof item !== 'object' || item === null) continue;
    const body = (item as { error?: unknown }).error;
    if (typeof body === 'object' && body !== null) {
      const message = (body as { message?: unknown }).message;
      if (typeof message === 'string' && message.trim() !== '') return message.trim().slice(0, 300);
    }
  }
  return undefined;
}

function serverCodeOf(chain: readonly unknown[]): string | undefined {
  for (const item of chain) {
    if (typeof item !== 'object' || item === null) continue;
    const body = (item as { error?: unknown }).error;
    if (typeof body === 'object' && body !== null) {
      const code = (body as { code?: unknown }).code;
      if (typeof code === 'string') return code;
    }
  }
  return undefined;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

function isLocalHost(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}

/** True for a certificate or TLS handshake failure code. */
export function isTlsCode(code: string): boolean {
  return tlsCodes.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('SELF_SIGNED');
}

/** Whole seconds for a long time, tenths for a short one (so that 0.4 s does not read as 0 s). */
function formatSeconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10);
}

function error(kind: LlmErrorKind, message: string, status?: number): LlmError {
  return new LlmError(kind, message, status);
}

/**
 * Joins a message's sentences with a space, leaving out the empty ones (optional parts); each
 * sentence is translated on its own, so a translator never sees a fragment.
 * @param parts The sentences, '' for an absent optional one.
 */
export function sentences(...parts: string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}

function quotaExhausted(chain: readonly unknown[]): boolean {
  return chain.some((item) => {
    if (typeof item !== 'object' || item === null) return false;
    const record = item as { code?: unknown; type?: unknown; error?: { code?: unknown; type?: unknown } };
    return [record.code, record.type, record.error?.code, record.error?.type].some((value) => typeof value === 'string' && /insufficient_quota|billing_hard_limit|quota_exceeded/i.test(value));
  });
}

function httpError(status: number, chain: readonly unknown[], context: FailureContext): LlmError {
  const host = hostOf(context.baseUrl);
  const serverMessage = serverMessageOf(chain);
  const said = serverMessage ? l10n.t('The server said: “{0}”', serverMessage) : '';
  if (status === 401) {
    return error(
      'unauthorized',
      l10n.t('{0} rejected the API key (401). Set the key with “Biowrite: Set API Key” (for the CLI: BIOWRITE_LLM_API_KEY).', host),
      status,
    );
  }
  if (status === 403) {
    return error(
      'unauthorized',
      sentences(
        l10n.t('{0} refused access (403): the API key lacks permission for model “{1}”.', host, context.model),
        said,
        l10n.t('Check the key’s project and permissions, then set it again with “Biowrite: Set API Key”.'),
      ),
      status,
    );
  }
  if (status === 404) {
    const aboutModel = serverCodeOf(chain) === 'model_not_found' || /model/i.test(serverMessage ?? '');
    const offered = context.availableModels && context.availableModels.length > 0 ? l10n.t('It offers: {0}.', context.availableModels.slice(0, 5).join(', ')) : '';
    if (aboutModel) {
      return error(
        'modelNotFound',
        sentences(l10n.t('{0} has no model “{1}”.', host, context.model), offered, l10n.t('Set “biowrite.llm.model” to one it offers (Ollama: run “ollama pull {0}”).', context.model)),
        status,
      );
    }
    return error(
      'modelNotFound',
      sentences(
        l10n.t('{0} answered 404 (not found) for model “{1}”.', host, context.model),
        offered,
        l10n.t('Check that “biowrite.llm.baseUrl” ends in /v1 and that “biowrite.llm.model” names a model it serves.'),
      ),
      status,
    );
  }
  if (status === 429 && quotaExhausted(chain)) {
    return error(
      'rateLimited',
      sentences(
        l10n.t('{0} says the account’s quota is used up (429 insufficient_quota); waiting will not help.', host),
        said,
        l10n.t('Add credit or raise the limit in the provider’s billing settings, or switch “biowrite.llm.baseUrl” to a local model.'),
      ),
      status,
    );
  }
  if (status === 429) {
    return error(
      'rateLimited',
      sentences(l10n.t('{0} is rate-limiting requests (429) and retries did not help.', host), said, l10n.t('Wait a minute and try again, or check your plan’s quota.')),
      status,
    );
  }
  if (status >= 500) {
    return error(
      'server',
      sentences(l10n.t('{0} had an internal error ({1}) and retries did not help.', host, status), said, l10n.t('Try again later, or check the server’s own log.')),
      status,
    );
  }
  if (status === 408) {
    return error('timeout', l10n.t('{0} timed out the request (408). Try again, or raise “biowrite.llm.timeoutSeconds”.', host), status);
  }
  return error(
    'badResponse',
    sentences(l10n.t('{0} rejected the request ({1}).', host, status), said, l10n.t('Check “biowrite.llm.model” and that the endpoint is OpenAI-compatible.')),
    status,
  );
}

/**
 * Turns anything an OpenAI-compatible request can throw (the `openai` package's errors,
 * undici's `fetch failed` with its `cause` chain, Node system errors, JSON syntax errors)
 * into an {@link LlmError} whose message says what to do next.
 */
export function classifyLlmFailure(failure: unknown, context: FailureContext): LlmError {
  if (failure instanceof LlmError) return failure;
  if (context.timedOut) {
    const timeoutHost = hostOf(context.baseUrl);
    if (context.timeoutMs === undefined) {
      return error('timeout', l10n.t('{0} did not answer. Check that the server is up and not overloaded, or raise “biowrite.llm.timeoutSeconds”.', timeoutHost));
    }
    const seconds = formatSeconds(context.timeoutMs);
    return error(
      'timeout',
      context.answerStarted
        ? l10n.t(
            '{0} was still answering after {1} s, the time allowed for one request. The model may be repeating itself: try again, or raise “biowrite.llm.timeoutSeconds” if its answers are long.',
            timeoutHost,
            seconds,
          )
        : l10n.t(
            '{0} did not answer within {1} s, the time allowed for one request (retries included). Check that the server is up and not overloaded, or raise “biowrite.llm.timeoutSeconds”.',
            timeoutHost,
            seconds,
          ),
    );
  }
  if (context.signal?.aborted) return error('aborted', l10n.t('The request was cancelled.'));

  const chain = errorChain(failure);
  const names = namesOf(chain);
  const codes = codesOf(chain);
  const messages = messagesOf(chain);
  const host = hostOf(context.baseUrl);

  if (names.includes('APIUserAbortError')) return error('aborted', l10n.t('The request was cancelled.'));

  const status = statusOf(chain);
  if (status !== undefined) return httpError(status, chain, context);

  if (codes.some((code) => dnsCodes.has(code))) {
    return error('dns', l10n.t('The host “{0}” could not be found (DNS). Check the spelling of “biowrite.llm.baseUrl” and your network or VPN.', hostOf(context.baseUrl)));
  }
  if (codes.some((code) => refusedCodes.has(code))) {
    const hint = isLocalHost(context.baseUrl)
      ? l10n.t('Is Ollama (or LM Studio, vLLM) running? Start it, e.g. “ollama serve”.')
      : l10n.t('Check the port in “biowrite.llm.baseUrl” and that the server is running.');
    return error('refused', sentences(l10n.t('Nothing is listening at {0} (connection refused).', host), hint));
  }
  if (codes.some(isTlsCode) || /certificate|self[- ]signed|\bTLS\b|\bSSL\b/i.test(messages)) {
    return error(
      'tls',
      l10n.t(
        'The TLS certificate of {0} is not trusted ({1}). If the server uses a self-signed or institutional certificate, add its CA to your system (or NODE_EXTRA_CA_CERTS), or use http:// for a local server.',
        host,
        codes.find(isTlsCode) ?? l10n.t('TLS error'),
      ),
    );
  }
  if (names.includes('APIConnectionTimeoutError') || codes.some((code) => timeoutCodes.has(code)) || names.includes('TimeoutError')) {
    return error('timeout', l10n.t('{0} did not answer in time. Check that the server is up and not overloaded, or raise “biowrite.llm.timeoutSeconds”.', host));
  }
  if (codes.some((code) => unreachableCodes.has(code))) {
    return error('refused', l10n.t('{0} cannot be reached from this machine ({1}). Check your network, VPN or proxy.', host, codes.find((code) => unreachableCodes.has(code)) ?? ''));
  }
  if (names.includes('SyntaxError') || /JSON/i.test(messages) && !names.includes('APIConnectionError')) {
    return error('badResponse', l10n.t('{0} sent an answer that is not valid JSON. Check that “biowrite.llm.baseUrl” points at an OpenAI-compatible API (it usually ends in /v1).', host));
  }
  if (codes.some((code) => closedCodes.has(code)) || /terminated|socket hang up|premature close|other side closed/i.test(messages)) {
    return error('badResponse', l10n.t('{0} closed the connection before the answer was complete. Try again; if it keeps happening, check the server’s log or a proxy in between.', host));
  }
  if (names.includes('AbortError')) return error('aborted', l10n.t('The request was cancelled.'));
  if (names.includes('APIConnectionError')) {
    return error('refused', l10n.t('Could not connect to {0}. Check “biowrite.llm.baseUrl”, your network and that the server is running.', host));
  }
  const detail = failure instanceof Error ? failure.message : String(failure);
  return error('unknown', l10n.t('The request to {0} failed: {1}. See “Biowrite: Show Log” for the request status.', host, detail.slice(0, 200)));
}
