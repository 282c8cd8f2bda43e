import * as vscode from 'vscode';
import { openAlexApiKeySecret } from '../sources/sourcesSettings';
import { checkApiKeyFormat, registerSetServiceApiKeyCommand } from './setServiceApiKey';

/** The command id, as declared in package.json. */
export const setOpenAlexApiKeyCommandId = 'biowrite.setOpenAlexApiKey';

/** Checks an OpenAlex API key as typed: one token of letters, digits, `-` or `_`; empty removes the stored key. */
export function validateOpenAlexApiKey(value: string): string | undefined {
  return checkApiKeyFormat(value, /^[A-Za-z0-9_-]{8,128}$/, {
    hasSpaces: vscode.l10n.t('An OpenAlex API key has no spaces: check what was pasted.'),
    badFormat: vscode.l10n.t('An OpenAlex API key is 8 to 128 letters, digits, “-” or “_” (see your OpenAlex account).'),
  });
}

/**
 * Registers “Biowrite: Set OpenAlex API Key”: stores the OpenAlex `api_key` in SecretStorage (never in
 * settings, where Settings Sync would copy it, or in logs). An empty value removes it.
 * @param secrets The extension's SecretStorage.
 */
export function registerSetOpenAlexApiKeyCommand(secrets: vscode.SecretStorage): vscode.Disposable {
  return registerSetServiceApiKeyCommand(secrets, {
    commandId: setOpenAlexApiKeyCommandId,
    secretKey: openAlexApiKeySecret,
    title: vscode.l10n.t('Biowrite: Set OpenAlex API Key'),
    promptReplace: vscode.l10n.t('Replace the stored OpenAlex API key, or leave empty to remove it. It is kept in VS Code’s secret storage.'),
    promptNew: vscode.l10n.t('Your OpenAlex API key raises OpenAlex’s daily limit. It is kept in VS Code’s secret storage.'),
    validate: validateOpenAlexApiKey,
    storedMessage: vscode.l10n.t('Biowrite stored the OpenAlex API key in secret storage.'),
    removedMessage: vscode.l10n.t('Biowrite removed the OpenAlex API key.'),
  });
}
