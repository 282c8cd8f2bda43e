import * as vscode from 'vscode';
import type { SourcesController, SearchRequest } from '../sources/sourcesController';

/** The command id, as declared in package.json. */
export const searchLiteratureCommandId = 'biowrite.searchLiterature';

/**
 * Registers “Biowrite: Search Literature…”: a free query (or one given as the argument, for tests and
 * other commands). When a manuscript is open, its library is searched too and Insert cites at the end
 * of the sentence holding the cursor.
 * @param controller Runs the search.
 */
export function registerSearchLiteratureCommand(controller: SourcesController): vscode.Disposable {
  return vscode.commands.registerCommand(searchLiteratureCommandId, async (argument?: unknown): Promise<string | undefined> => {
    const query =
      typeof argument === 'string'
        ? argument
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Biowrite: Search Literature'),
            prompt: vscode.l10n.t('Words, a gene or a method, authors or a title: your library and the online services are searched.'),
            placeHolder: vscode.l10n.t('e.g. TP53 mutations colorectal cancer prognosis'),
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim().length < 2 ? vscode.l10n.t('Type at least two characters.') : value.length > 1000 ? vscode.l10n.t('Keep the query under 1,000 characters.') : undefined),
          });
    if (query === undefined || query.trim().length < 2) return undefined;
    const editor = vscode.window.activeTextEditor;
    const isManuscript = editor && ['markdown', 'latex', 'quarto', 'rmd', 'pandoc'].includes(editor.document.languageId);
    let target: SearchRequest['target'];
    if (editor && isManuscript) {
      // Read before the module loads, so the sentence, its offsets and the version belong together.
      const text = editor.document.getText();
      const version = editor.document.version;
      const cursor = editor.document.offsetAt(editor.selection.active);
      const { sentenceAt } = await import('../../core/citations/sentenceAt');
      const span = sentenceAt(text, cursor);
      if (span) target = { uri: editor.document.uri, version, sentence: text.slice(span.start, span.end), start: span.start, end: span.end };
    }
    return controller.search({ query: query.trim(), ...(target ? { target } : {}), ...(editor && isManuscript ? { document: editor.document } : {}), fromSentence: false });
  });
}
