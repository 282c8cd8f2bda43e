import * as vscode from 'vscode';
import { pubmedApiKeySecret } from '../sources/sourcesSettings';
import { checkApiKeyFormat, registerSetServiceApiKeyCommand } from './setServiceApiKey';

/** The command id, as declared in package.json. */
export const setPubmedApiKeyCommandId = 'biowrite.setPubmedApiKey';

/** Checks an NCBI API key as typed: hexadecimal-looking, no spaces; empty removes the stored key. */
export function validatePubmedApiKey(value: string): string | undefined {
  return checkApiKeyFormat(value, /^[A-Za-z0-9]{20,64}$/, {
    hasSpaces: vscode.l10n.t('An NCBI API key has no spaces: check what was pasted.'),
    badFormat: vscode.l10n.t('An NCBI API key is 20 to 64 letters and digits (see your NCBI account settings).'),
  });
}

/**
 * Registers “Biowrite: Set PubMed API Key”: stores the NCBI `api_key` in SecretStorage (never in
 * settings or logs), which raises PubMed's limit from 3 to 10 requests a second. An empty value removes it.
 * @param secrets The extension's SecretStorage.
 */
export function registerSetPubmedApiKeyCommand(secrets: vscode.SecretStorage): vscode.Disposable {
  return registerSetServiceApiKeyCommand(secrets, {
    commandId: setPubmedApiKeyCommandId,
    secretKey: pubmedApiKeySecret,
    title: vscode.l10n.t('Biowrite: Set PubMed API Key'),
    promptReplace: vscode.l10n.t('Replace the stored NCBI API key, or leave empty to remove it. It is kept in VS Code’s secret storage.'),
    promptNew: vscode.l10n.t('Your NCBI API key (NCBI account → API Key Management) lets Biowrite send 10 PubMed requests a second instead of 3. It is kept in VS Code’s secret storage.'),
    validate: validatePubmedApiKey,
    storedMessage: vscode.l10n.t('Biowrite stored the PubMed API key in secret storage.'),
    removedMessage: vscode.l10n.t('Biowrite removed the PubMed API key.'),
  });
}
