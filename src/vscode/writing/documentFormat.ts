import type * as vscode from 'vscode';
import type { ManuscriptFormat } from '../../core/writing/markupFreeze';

/**
 * The manuscript format of a document.
 * @param document The document.
 * @returns `latex` for LaTeX documents, otherwise `markdown`.
 */
export function formatOfDocument(document: vscode.TextDocument): ManuscriptFormat {
  return document.languageId === 'latex' || document.languageId === 'tex' || /\.(tex|ltx)$/i.test(document.fileName) ? 'latex' : 'markdown';
}
