/**
 * Run-time validation of what the panel webview sends. Pure TypeScript (no `vscode`), so it is unit-tested
 * with hostile input: the webview renders third-party text and is treated as untrusted.
 */
import type { PanelCommand, WebviewMessage, WebviewMessageType } from '../../shared/protocol';

/** The outcome of {@link validateWebviewMessage}. */
export type ValidationResult = { readonly ok: true; readonly message: WebviewMessage } | { readonly ok: false; readonly reason: string };

/** Every command the panel's buttons may run. */
export const panelCommands: readonly PanelCommand[] = [
  'setApiKey',
  'clearApiKey',
  'testConnection',
  'openSettings',
  'showLog',
  'checkClaims',
  'searchLiterature',
  'draftAbstract',
  'auditReferences',
  'openWalkthrough',
];

const maxIdLength = 200;
const maxUriLength = 8192;
/** Citation keys can be long Manubot identifiers (`url:https://…`), but not unbounded. */
const maxKeyLength = 500;

type Fields = Readonly<Record<string, unknown>>;
type Validator = (fields: Fields, requestId: string) => WebviewMessage;

class Invalid extends Error {}

function text(fields: Fields, name: string, maxLength: number): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) throw new Invalid(`${name} must be a string of 1 to ${maxLength} characters`);
  return value;
}

function id(fields: Fields, name: string): string {
  return text(fields, name, maxIdLength);
}

function uri(fields: Fields, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxUriLength || !/^[a-z][a-z0-9+.-]*:/i.test(value)) throw new Invalid(`${name} must be a URI`);
  return value;
}

function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[]): T {
  const value = fields[name];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new Invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

// A Record over every message type: adding a type to the protocol without a validator fails to compile.
const validators: Readonly<Record<WebviewMessageType, Validator>> = {
  ready: (_fields, requestId) => ({ type: 'ready', requestId }),
  runCommand: (fields, requestId) => ({ type: 'runCommand', requestId, command: oneOf(fields, 'command', panelCommands) }),
  revealClaim: (fields, requestId) => ({ type: 'revealClaim', requestId, documentUri: uri(fields, 'documentUri'), claimId: id(fields, 'claimId') }),
  findSourcesForClaim: (fields, requestId) => ({ type: 'findSourcesForClaim', requestId, documentUri: uri(fields, 'documentUri'), claimId: id(fields, 'claimId') }),
  insertCitation: (fields, requestId) => ({ type: 'insertCitation', requestId, searchId: id(fields, 'searchId'), resultId: id(fields, 'resultId') }),
  copyReference: (fields, requestId) => ({
    type: 'copyReference',
    requestId,
    searchId: id(fields, 'searchId'),
    resultId: id(fields, 'resultId'),
    style: oneOf(fields, 'style', ['vancouver', 'apa'] as const),
  }),
  openResult: (fields, requestId) => ({
    type: 'openResult',
    requestId,
    searchId: id(fields, 'searchId'),
    resultId: id(fields, 'resultId'),
    target: oneOf(fields, 'target', ['pubmed', 'doi', 'pmc'] as const),
  }),
  stop: (fields, requestId) => ({ type: 'stop', requestId, targetRequestId: id(fields, 'targetRequestId') }),
  revealReference: (fields, requestId) => ({
    type: 'revealReference',
    requestId,
    documentUri: uri(fields, 'documentUri'),
    key: text(fields, 'key', maxKeyLength),
    target: oneOf(fields, 'target', ['entry', 'citation'] as const),
  }),
  acceptDraft: (fields, requestId) => ({ type: 'acceptDraft', requestId, draftId: id(fields, 'draftId') }),
  discardDraft: (fields, requestId) => ({ type: 'discardDraft', requestId, draftId: id(fields, 'draftId') }),
};

/**
 * Checks that a value received from the webview is a well-formed {@link WebviewMessage}: a plain object,
 * a known `type`, a `requestId`, and every field of that type with the right type and a bounded length.
 * @param value Anything `onDidReceiveMessage` delivered.
 * @returns The message rebuilt from its known fields only (extra fields dropped), or why it was rejected.
 */
export function validateWebviewMessage(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not an object' };
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return { ok: false, reason: 'not a plain object' };
  const fields = value as Fields;
  const type = fields['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(validators, type)) {
    return { ok: false, reason: `unknown type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}` };
  }
  try {
    const requestId = id(fields, 'requestId');
    return { ok: true, message: validators[type as WebviewMessageType](fields, requestId) };
  } catch (failure) {
    if (failure instanceof Invalid) return { ok: false, reason: `${type}: ${failure.message}` };
    throw failure;
  }
}
