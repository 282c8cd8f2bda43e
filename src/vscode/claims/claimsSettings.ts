import * as vscode from 'vscode';
import type { ManuscriptLanguage } from '../../core/manuscript/citations';
import { DEFAULT_SKIP_SECTIONS } from '../../core/claims/constants';

/** The `biowrite.claims.severity` values. */
export type ClaimSeverity = 'hint' | 'information' | 'warning' | 'error';

/** The `biowrite.claims.*` settings for one document, checked and bounded. */
export interface ClaimsSettings {
  readonly enabled: boolean;
  /** The threshold the user set, or undefined to use the model's suggested one. */
  readonly threshold: number | undefined;
  readonly severity: ClaimSeverity;
  readonly languages: readonly string[];
  readonly skipSections: readonly string[];
  readonly debounceMs: number;
}

const defaultLanguages = ['markdown', 'latex', 'quarto'];

/**
 * Reads the claims settings that apply to a document (resource scope: user, workspace or folder).
 * @param scope The document's URI (optional; default: the window's settings).
 */
export function readClaimsSettings(scope?: vscode.Uri): ClaimsSettings {
  const config = vscode.workspace.getConfiguration('biowrite.claims', scope);
  // The manifest's default predates the trained model: unless the user chose a threshold, the
  // model's own suggestion applies (see `suggestedThreshold`).
  const inspected = config.inspect<unknown>('threshold');
  const threshold = [inspected?.workspaceFolderLanguageValue, inspected?.workspaceLanguageValue, inspected?.globalLanguageValue, inspected?.workspaceFolderValue, inspected?.workspaceValue, inspected?.globalValue].find((value) => value !== undefined);
  const severity = config.get<unknown>('severity', 'information');
  const languages = config.get<unknown>('languages', defaultLanguages);
  const skipSections = config.get<unknown>('skipSections', DEFAULT_SKIP_SECTIONS);
  const debounce = config.get<unknown>('debounceMs', 400);
  return {
    enabled: config.get<unknown>('enabled', true) !== false,
    threshold: typeof threshold === 'number' && Number.isFinite(threshold) ? Math.min(1, Math.max(0, threshold)) : undefined,
    severity: severity === 'hint' || severity === 'warning' || severity === 'error' ? severity : 'information',
    languages: Array.isArray(languages) ? languages.filter((item): item is string => typeof item === 'string') : defaultLanguages,
    skipSections: Array.isArray(skipSections) ? skipSections.filter((item): item is string => typeof item === 'string') : DEFAULT_SKIP_SECTIONS,
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) ? Math.min(5000, Math.max(0, debounce)) : 400,
  };
}

/** The checker language of a VS Code language id, or undefined for languages Biowrite does not read. */
export function manuscriptLanguageOf(languageId: string): ManuscriptLanguage | undefined {
  switch (languageId) {
    case 'markdown':
    case 'quarto':
    case 'rmd':
    case 'rmarkdown':
      return 'markdown';
    case 'latex':
    case 'tex':
      return 'latex';
    default:
      return undefined;
  }
}

/** The setting's language name for a language id (`rmd` documents follow the `markdown` entry). */
export function settingLanguageOf(languageId: string): string {
  return languageId === 'rmd' || languageId === 'rmarkdown' ? 'markdown' : languageId === 'tex' ? 'latex' : languageId;
}

/** VS Code's severity for a setting value. */
export function toDiagnosticSeverity(severity: ClaimSeverity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    default: {
      const never: never = severity;
      return never;
    }
  }
}
