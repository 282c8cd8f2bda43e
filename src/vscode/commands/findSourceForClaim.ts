import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { findSourcesForClaim } from '../claims/findSourcesForClaim';
import { isWireRange, type FindSourcesArgument } from '../claims/wire';

/**
 * The command id. Internal (not in the palette): the claims quick fix runs it, so a missing
 * literature search falls back to the panel instead of an error.
 */
export const findSourceForClaimCommandId = 'biowrite.findSourceForClaim';

/**
 * Registers the quick fix's "Find a source for this claim".
 * @param environment The panel and log for the fallback.
 */
export function registerFindSourceForClaimCommand(environment: BiowriteEnvironment): vscode.Disposable {
  return vscode.commands.registerCommand(findSourceForClaimCommandId, async (argument?: unknown): Promise<'sources' | 'panel' | undefined> => {
    if (!isFindSourcesArgument(argument)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Use “Find a source for this claim” from the light bulb on a flagged sentence, or select a sentence and run “Biowrite: Find Sources for Selection”.'));
      return undefined;
    }
    try {
      return await findSourcesForClaim(environment, argument);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The literature search could not start: {0}', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  });
}

function isFindSourcesArgument(value: unknown): value is FindSourcesArgument {
  if (typeof value !== 'object' || value === null) return false;
  const argument = value as Record<string, unknown>;
  return typeof argument.uri === 'string' && typeof argument.sentence === 'string' && isWireRange(argument.range);
}
