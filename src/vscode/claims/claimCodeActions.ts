import * as vscode from 'vscode';
import { CLAIM_RULE_ID } from '../../core/claims/constants';
import type { ClaimsController } from './claimsController';
import { DIAGNOSTIC_SOURCE } from './claimsController';
import { ignoreCommentEdit } from './ignoreEdit';
import { toWireRange, type FindSourcesArgument } from './wire';
import { findSourceForClaimCommandId } from '../commands/findSourceForClaim';
import { ignoreClaimCommandId, type IgnoreClaimArgument } from '../commands/ignoreClaim';

/**
 * Quick fixes on claims without sources: "Find a source for this claim" (the literature search),
 * "This sentence needs no source" (an inline ignore comment, as an edit the user sees and can
 * undo) and the same remembered in the workspace list instead.
 */
export class ClaimCodeActionProvider implements vscode.CodeActionProvider {
  /** The kinds this provider returns. */
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  /** @param controller Knows the findings behind the diagnostics. */
  constructor(private readonly controller: ClaimsController) {}

  /** Offers the fixes for each claims diagnostic in the range. */
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== CLAIM_RULE_ID) continue;
      const sentence = document.getText(diagnostic.range);
      const shown = this.controller.findingAt(document.uri, diagnostic.range)?.text ?? sentence;
      const argument: FindSourcesArgument = { uri: document.uri.toString(), range: toWireRange(diagnostic.range), sentence };

      const find = new vscode.CodeAction(vscode.l10n.t('Find a source for this claim'), vscode.CodeActionKind.QuickFix);
      find.command = { command: findSourceForClaimCommandId, title: find.title, arguments: [argument] };
      find.diagnostics = [diagnostic];
      find.isPreferred = true;
      actions.push(find);

      const edit = ignoreCommentEdit(document, diagnostic.range);
      if (edit) {
        const ignore = new vscode.CodeAction(vscode.l10n.t('This sentence needs no source'), vscode.CodeActionKind.QuickFix);
        ignore.edit = edit;
        ignore.diagnostics = [diagnostic];
        actions.push(ignore);
      }

      const listArgument: IgnoreClaimArgument = { uri: document.uri.toString(), range: toWireRange(diagnostic.range), mode: 'list', sentence: shown };
      const remember = new vscode.CodeAction(vscode.l10n.t('This sentence needs no source (remember it in the workspace list)'), vscode.CodeActionKind.QuickFix);
      remember.command = { command: ignoreClaimCommandId, title: remember.title, arguments: [listArgument] };
      remember.diagnostics = [diagnostic];
      actions.push(remember);
    }
    return actions;
  }
}
