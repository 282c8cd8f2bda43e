import * as vscode from 'vscode';
import type { ClaimsController } from '../claims/claimsController';
import { ignoreCommentEdit } from '../claims/ignoreEdit';
import { findingRange, fromWireRange, isWireRange } from '../claims/wire';
import type { WireRange } from '../../shared/protocol';

/** The command id, as declared in package.json. */
export const ignoreClaimCommandId = 'biowrite.ignoreClaim';

/** The argument of `biowrite.ignoreClaim`. */
export interface IgnoreClaimArgument {
  /** The document, as `uri.toString()`. */
  readonly uri: string;
  /** The sentence's range. */
  readonly range: WireRange;
  /** `inline` inserts the ignore comment (default); `list` adds the sentence to `.biowrite/ignore.json`. */
  readonly mode?: 'inline' | 'list';
  /** The sentence as shown (for the list). */
  readonly sentence?: string;
}

/**
 * Registers “Mark Sentence as Needing No Source”: with an argument (from a quick fix or the
 * panel) for that sentence, else for the flagged sentence at the cursor. Inline, it inserts the
 * ignore comment as an undoable edit; with `mode: 'list'` it adds the sentence to the workspace list.
 * @param controller The claims of open documents.
 */
export function registerIgnoreClaimCommand(controller: ClaimsController): vscode.Disposable {
  return vscode.commands.registerCommand(ignoreClaimCommandId, async (argument?: unknown): Promise<boolean> => {
    let target: { document: vscode.TextDocument; range: vscode.Range; mode: 'inline' | 'list'; sentence: string } | undefined;
    if (isArgument(argument)) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(argument.uri, true));
      const range = document.validateRange(fromWireRange(argument.range));
      target = { document, range, mode: argument.mode ?? 'inline', sentence: argument.sentence ?? controller.findingAt(document.uri, range)?.text ?? document.getText(range) };
    } else {
      const editor = vscode.window.activeTextEditor;
      const finding = editor ? controller.findingsOf(editor.document.uri).find((item) => findingRange(item).contains(editor.selection.active)) : undefined;
      if (!editor || !finding) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor in a sentence Biowrite flagged as a claim without a source, then run this again.'));
        return false;
      }
      target = { document: editor.document, range: findingRange(finding), mode: 'inline', sentence: finding.text };
    }
    if (target.mode === 'list') {
      try {
        const uri = await controller.ignoreLists.add(target.document.uri, target.sentence);
        const open = vscode.l10n.t('Open List');
        void vscode.window.showInformationMessage(vscode.l10n.t('Biowrite will not flag this sentence again. It is remembered in {0}.', vscode.workspace.asRelativePath(uri)), open).then((choice) => {
          if (choice === open) void vscode.window.showTextDocument(uri);
        });
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        return false;
      }
    }
    const edit = ignoreCommentEdit(target.document, target.range);
    if (!edit) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Biowrite can only mark sentences in Markdown or LaTeX documents.'));
      return false;
    }
    return vscode.workspace.applyEdit(edit);
  });
}

function isArgument(value: unknown): value is IgnoreClaimArgument {
  if (typeof value !== 'object' || value === null) return false;
  const argument = value as Record<string, unknown>;
  return (
    typeof argument.uri === 'string' &&
    isWireRange(argument.range) &&
    (argument.mode === undefined || argument.mode === 'inline' || argument.mode === 'list') &&
    (argument.sentence === undefined || typeof argument.sentence === 'string')
  );
}
