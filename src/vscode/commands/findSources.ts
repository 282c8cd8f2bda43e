import * as vscode from 'vscode';
import type { WireRange } from '../../shared/protocol';
import type { SearchRequest, SourcesController } from '../sources/sourcesController';
import { LineIndex } from '../../core/manuscript/lineIndex';
import { snapshotActiveEditor, type EditorSnapshot } from '../editorSnapshot';

/** The command id, as declared in package.json. */
export const findSourcesCommandId = 'biowrite.findSources';

/** The argument of the claims quick fix: the flagged sentence and where it was. */
export interface FindSourcesArgument {
  readonly uri: string;
  readonly range: WireRange;
  readonly sentence: string;
}

/** Checks the quick fix's argument at run time (commands can be run with anything). */
export function isFindSourcesArgument(value: unknown): value is FindSourcesArgument {
  if (!value || typeof value !== 'object') return false;
  const { uri, range, sentence } = value as Record<string, unknown>;
  if (typeof uri !== 'string' || typeof sentence !== 'string' || !range || typeof range !== 'object') return false;
  const r = range as Record<string, unknown>;
  return ['startLine', 'startCharacter', 'endLine', 'endCharacter'].every((k) => typeof r[k] === 'number' && Number.isInteger(r[k]) && (r[k] as number) >= 0);
}

/**
 * Builds the search request for a sentence of a document: from the quick fix's argument (re-found by
 * its text when the document moved on), or from the editor's selection (extended to the end of the
 * sentence it ends in; an empty selection means the sentence at the cursor).
 * @returns The request, or a message explaining why there is none.
 */
export async function requestFor(argument: unknown, invokedOn: EditorSnapshot | undefined = snapshotActiveEditor()): Promise<SearchRequest | string> {
  const [{ sentenceForSelection, paragraphAt }, { relocateSentence }] = await Promise.all([import('../../core/citations/sentenceAt'), import('../../core/citations/insertCitation')]);
  let document: vscode.TextDocument;
  let text: string;
  let version: number;
  let start: number;
  let end: number;
  if (argument !== undefined && !(argument instanceof vscode.Uri)) {
    if (!isFindSourcesArgument(argument)) return vscode.l10n.t('Find Sources was given an argument it does not understand. Select a sentence and run it again.');
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(argument.uri, true));
    text = document.getText();
    version = document.version;
    const range = new vscode.Range(argument.range.startLine, argument.range.startCharacter, argument.range.endLine, argument.range.endCharacter);
    start = document.offsetAt(range.start);
    end = document.offsetAt(range.end);
    const wanted = argument.sentence.trim();
    if (wanted !== '' && text.slice(start, end).trim() !== wanted) {
      const moved = relocateSentence(text, wanted);
      if (moved === undefined) return vscode.l10n.t('The sentence changed since it was flagged. Select it and run “Biowrite: Find Sources for Selection”.');
      start = moved;
      end = moved + wanted.length;
    }
  } else {
    // The selection and text of the invocation: the modules above load in a turn of the event loop.
    if (!invokedOn) return vscode.l10n.t('Open a manuscript and select a sentence first.');
    document = invokedOn.editor.document;
    text = invokedOn.text;
    version = invokedOn.version;
    const lines = new LineIndex(text);
    start = lines.offsetAt(invokedOn.selection.start);
    end = lines.offsetAt(invokedOn.selection.end);
  }
  const span = sentenceForSelection(text, { start, end });
  if (!span || text.slice(span.start, span.end).trim() === '') return vscode.l10n.t('Select the sentence you want a source for.');
  const sentence = text.slice(span.start, span.end);
  if (sentence.length > 3000) return vscode.l10n.t('The selection is too long to search with ({0} characters). Select one sentence.', sentence.length);
  const paragraph = paragraphAt(text, span.start);
  const context = text.slice(paragraph.start, Math.max(paragraph.end, span.end));
  return {
    query: sentence.replace(/\s+/g, ' ').trim(),
    ...(context.trim() !== sentence.trim() ? { context: context.slice(0, 4000) } : {}),
    target: { uri: document.uri, version, sentence, start: span.start, end: span.end },
    document,
    fromSentence: true,
  };
}

/**
 * Registers “Biowrite: Find Sources for Selection”: from the palette and the editor's context menu (the
 * selection), or from the claims quick fix (its argument). Resolves to the search id, or undefined.
 * @param controller Runs the search.
 */
export function registerFindSourcesCommand(controller: SourcesController): vscode.Disposable {
  return vscode.commands.registerCommand(findSourcesCommandId, async (argument?: unknown): Promise<string | undefined> => {
    const request = await requestFor(argument, snapshotActiveEditor());
    if (typeof request === 'string') {
      void vscode.window.showWarningMessage(request);
      return undefined;
    }
    return controller.search(request);
  });
}
