/**
 * The messages between the extension host and the Biowrite panel webview.
 *
 * Both sides import this file with `import type`; every switch over these unions
 * is exhaustive, and the host validates what the webview sends at run time
 * (see `src/vscode/panel/validateMessage.ts`). Requests from the webview carry a
 * `requestId`; the host answers long-running work with messages that repeat it.
 */

/** The LLM connection as the panel shows it. */
export type ConnectionStatus = 'notConfigured' | 'configured' | 'checking' | 'ok' | 'unreachable';

/** Connection state; never holds the API key. */
export interface ConnectionState {
  readonly status: ConnectionStatus;
  readonly provider: 'openai' | 'vscode';
  readonly model: string;
  /** Host of the endpoint, for display (no path, no query). */
  readonly endpointHost?: string;
  readonly hasApiKey: boolean;
  /** The last check's latency, when it succeeded. */
  readonly latencyMs?: number;
  /** A sentence explaining the last failure, with a next step. */
  readonly detail?: string;
  /** Whether the workspace is trusted (Restricted Mode limits what runs). */
  readonly workspaceTrusted: boolean;
}

/** A range in a document, 0-based lines and UTF-16 characters. */
export interface WireRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** One claim without a source, as listed in the panel. */
export interface ClaimItem {
  readonly id: string;
  readonly text: string;
  readonly score: number;
  readonly reason: string;
  readonly range: WireRange;
}

/** Where a literature result came from. */
export type SourceName = 'library' | 'zotero' | 'pubmed' | 'europepmc' | 'crossref' | 'openalex';

/** An inline style of a title: italics, bold, super- and subscripts, small capitals. */
export type TitleStyle = 'bold' | 'italic' | 'smallcaps' | 'sup' | 'sub';

/**
 * A run of title text in one combination of styles: titles from the services carry inline markup
 * (*Escherichia coli*, Ca²⁺), sent as data so the panel builds elements from it, never parses markup.
 */
export interface TitleSpan {
  readonly text: string;
  /** The styles in effect, outermost first, each once (absent: plain text). */
  readonly styles?: readonly TitleStyle[];
}

/** One literature result as the panel shows it: a record a service returned. */
export interface SourceResultItem {
  /** Stable within one search. */
  readonly id: string;
  /** Plain text. */
  readonly title: string;
  /** The title with its formatting, when it has any; the texts together spell `title`. */
  readonly titleSpans?: readonly TitleSpan[];
  readonly authors: readonly string[];
  readonly journal?: string;
  readonly year?: number;
  readonly doi?: string;
  readonly pmid?: string;
  readonly pmcid?: string;
  /** A short abstract excerpt, plain text. */
  readonly snippet?: string;
  /** The words of the query to mark in the snippet. */
  readonly highlightTerms: readonly string[];
  readonly sources: readonly SourceName[];
  readonly retracted: boolean;
  /** A notice about the record (retraction, correction, expression of concern). */
  readonly notice?: string;
  /** Why it matches, from the LLM, when there is one. */
  readonly explanation?: string;
  readonly score: number;
}

/** The kinds of LLM draft the panel can show. */
export type DraftKind = 'abstract' | 'translation';

/**
 * A grounding problem found in a draft. `protectedMarkup`: a translated chunk kept in its original language
 * because the model kept breaking its markup; `terminology`: a glossary term or a symbol/number not kept.
 */
export interface GroundingIssue {
  readonly kind: 'unsupportedNumber' | 'unsupportedStatement' | 'missingChecklistItem' | 'protectedMarkup' | 'wordLimit' | 'terminology';
  readonly text: string;
  readonly detail?: string;
}

/** A status of the reference audit (mirrors `ReferenceStatus` in `src/core/references/statuses.ts`). */
export type ReferenceStatusName =
  | 'verified'
  | 'not-found'
  | 'identifier-mismatch'
  | 'metadata-mismatch'
  | 'retracted'
  | 'concern'
  | 'corrected'
  | 'preprint-published'
  | 'unverifiable'
  | 'undefined'
  | 'unused'
  | 'duplicate';

/** The record a service returned for an entry, as the References view shows it beside the entry (plain text). */
export interface ResolvedReference {
  readonly title: string;
  readonly authors: readonly string[];
  readonly year?: number;
  readonly journal?: string;
  readonly doi?: string;
  readonly pmid?: string;
  readonly pmcid?: string;
}

/** One bibliography entry (or cited key without one) in the References view. */
export interface ReferenceItem {
  readonly key: string;
  /** At least one; `verified` or `unverifiable` alone when there is nothing to do. */
  readonly statuses: readonly ReferenceStatusName[];
  /** One line: what is wrong and what to do (plain text). */
  readonly message: string;
  /** Fields of the entry that disagree with the resolved record (`title`, `year`…). */
  readonly fields: readonly string[];
  /** What the entry says: title, first authors and year (plain text, from the bibliography). */
  readonly cited: { readonly title: string; readonly authors: readonly string[]; readonly year?: number };
  readonly resolved?: ResolvedReference;
  /** The published version's DOI, for `preprint-published`. */
  readonly publishedDoi?: string;
  /** Whether the entry is in a bibliography file (false for `undefined` keys and Manubot identifiers). */
  readonly hasEntry: boolean;
  /** How many times the manuscript cites it. */
  readonly citationCount: number;
}

/** Where the audit of a manuscript's references is. */
export type ReferencesState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/** Host → webview. */
export type HostMessage =
  | { readonly type: 'connection'; readonly state: ConnectionState }
  | {
      readonly type: 'claims';
      readonly documentUri: string;
      readonly documentName: string;
      readonly claims: readonly ClaimItem[];
      /** Whether the document was checked (optional; default: true). False when it could not be, or is not checked at all. */
      readonly checked?: boolean;
      /** Something the user should know: why the document was not checked, parts left unchecked, a broken ignore list. */
      readonly notice?: string;
      /**
       * Sentences without a citation that were not checked because of their language (optional;
       * default: 0), with the host's sentence naming the languages. They are never counted as clean.
       */
      readonly notChecked?: { readonly sentences: number; readonly message: string };
    }
  | { readonly type: 'searchStarted'; readonly requestId: string; readonly query: string; readonly sentence?: string; readonly services: readonly SourceName[] }
  | { readonly type: 'searchResults'; readonly requestId: string; readonly source: SourceName; readonly results: readonly SourceResultItem[] }
  | { readonly type: 'searchError'; readonly requestId: string; readonly source: SourceName; readonly message: string }
  | { readonly type: 'searchDone'; readonly requestId: string; readonly cancelled: boolean }
  /** `lengthUnit`: what `wordLimit` and the draft's count measure (absent: words; Korean, Chinese and Japanese abstracts count characters). */
  | { readonly type: 'draftStarted'; readonly requestId: string; readonly kind: DraftKind; readonly title: string; readonly wordLimit?: number; readonly lengthUnit?: 'words' | 'characters' | 'charactersWithSpaces' }
  /** `replace`: `text` replaces the whole preview instead of being appended (a translation chunk was retried or thawed). */
  | { readonly type: 'draftDelta'; readonly requestId: string; readonly text: string; readonly replace?: boolean }
  | {
      readonly type: 'draftDone';
      readonly requestId: string;
      readonly text: string;
      readonly wordCount: number;
      readonly issues: readonly GroundingIssue[];
      readonly tokens?: number;
      readonly cancelled: boolean;
      /** Whether the panel offers Accept (false when there is nothing to apply, e.g. after a stop). */
      readonly canAccept?: boolean;
      /** A one-line summary under the draft, e.g. "3 sections condensed; statements checked by the model". */
      readonly summary?: string;
    }
  | { readonly type: 'draftError'; readonly requestId: string; readonly message: string }
  | {
      readonly type: 'references';
      /** The audit's id: the panel's Stop sends it as `targetRequestId`. */
      readonly requestId: string;
      readonly documentUri: string;
      readonly documentName: string;
      readonly state: ReferencesState;
      /** Entries checked so far and in all, while running. */
      readonly done?: number;
      readonly total?: number;
      /** Whether the services were asked (false: offline, hygiene only). */
      readonly online: boolean;
      readonly items: readonly ReferenceItem[];
      /** What could not be checked, or why the audit failed (plain text). */
      readonly notice?: string;
    }
  | { readonly type: 'notice'; readonly level: 'info' | 'warning' | 'error'; readonly message: string }
  | { readonly type: 'reply'; readonly requestId: string; readonly ok: boolean; readonly error?: string };

/** Commands the panel's buttons can run. */
export type PanelCommand =
  | 'setApiKey'
  | 'clearApiKey'
  | 'testConnection'
  | 'openSettings'
  | 'showLog'
  | 'checkClaims'
  | 'searchLiterature'
  | 'draftAbstract'
  | 'auditReferences'
  | 'openWalkthrough';

/** Webview → host. Every message carries a request id. */
export type WebviewMessage =
  | { readonly type: 'ready'; readonly requestId: string }
  | { readonly type: 'runCommand'; readonly requestId: string; readonly command: PanelCommand }
  | { readonly type: 'revealClaim'; readonly requestId: string; readonly documentUri: string; readonly claimId: string }
  | { readonly type: 'findSourcesForClaim'; readonly requestId: string; readonly documentUri: string; readonly claimId: string }
  | { readonly type: 'insertCitation'; readonly requestId: string; readonly searchId: string; readonly resultId: string }
  | { readonly type: 'copyReference'; readonly requestId: string; readonly searchId: string; readonly resultId: string; readonly style: 'vancouver' | 'apa' }
  | { readonly type: 'openResult'; readonly requestId: string; readonly searchId: string; readonly resultId: string; readonly target: 'pubmed' | 'doi' | 'pmc' }
  | { readonly type: 'stop'; readonly requestId: string; readonly targetRequestId: string }
  /** Shows an entry of the References view: its place in the bibliography file, or its first citation. */
  | { readonly type: 'revealReference'; readonly requestId: string; readonly documentUri: string; readonly key: string; readonly target: 'entry' | 'citation' }
  | { readonly type: 'acceptDraft'; readonly requestId: string; readonly draftId: string }
  | { readonly type: 'discardDraft'; readonly requestId: string; readonly draftId: string };

/** The `type` of every webview message, for run-time validation. */
export type WebviewMessageType = WebviewMessage['type'];
