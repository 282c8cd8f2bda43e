import * as vscode from 'vscode';
import { LATEX_IGNORE_COMMENT, MARKDOWN_IGNORE_COMMENT } from '../../core/claims/ignore';
import { manuscriptLanguageOf } from './claimsSettings';

/**
 * The edit that marks a sentence as needing no source: the inline comment right after it,
 * `<!-- biowrite-ignore -->` in Markdown, `% biowrite-ignore` in LaTeX. In LaTeX a comment runs to
 * the end of the line, so when text follows the sentence on its line the comment ends with a
 * line break (TeX joins the lines again, the rendered text is unchanged).
 * @param document The manuscript.
 * @param range The sentence.
 * @returns The edit, or undefined for a language without an ignore comment.
 */
export function ignoreCommentEdit(document: vscode.TextDocument, range: vscode.Range): vscode.WorkspaceEdit | undefined {
  const language = manuscriptLanguageOf(document.languageId);
  if (!language) return undefined;
  const end = document.validatePosition(range.end);
  const rest = document.lineAt(end.line).text.slice(end.character);
  let text: string;
  if (language === 'latex') text = rest.trim() === '' ? ` ${LATEX_IGNORE_COMMENT}` : ` ${LATEX_IGNORE_COMMENT}\n`;
  else text = ` ${MARKDOWN_IGNORE_COMMENT}`;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, end, text);
  return edit;
}
