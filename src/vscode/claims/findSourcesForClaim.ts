import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import type { FindSourcesArgument } from './wire';

/** The command of the sources feature that searches the literature for a sentence. */
export const FIND_SOURCES_COMMAND = 'biowrite.findSources';

/**
 * Opens the literature search for a claim through `biowrite.findSources` (one argument object
 * `{uri, range, sentence}`). When that command is not available (the sources feature is not
 * installed in this build), shows the claim in the panel instead.
 * @returns `sources` when the search started, `panel` when the claim was shown in the panel.
 */
export async function findSourcesForClaim(environment: BiowriteEnvironment, argument: FindSourcesArgument): Promise<'sources' | 'panel'> {
  try {
    await vscode.commands.executeCommand(FIND_SOURCES_COMMAND, argument);
    return 'sources';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/not found/i.test(message)) throw error;
    environment.log.info('claims: the literature search is not available; the claim is shown in the panel instead.');
  }
  await environment.panel.reveal();
  environment.panel.post({
    type: 'notice',
    level: 'info',
    message: vscode.l10n.t('Literature search is not available in this build. Claim on line {0}: “{1}”', argument.range.startLine + 1, argument.sentence),
  });
  return 'panel';
}
