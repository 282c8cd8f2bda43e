import * as vscode from 'vscode';
import type { ApiKeyStore } from '../secrets';

/** The command id, as declared in package.json. */
export const setApiKeyCommandId = 'biowrite.setApiKey';

/**
 * Checks a typed or pasted key: not empty, no spaces inside.
 * @returns A message for the input box, or `undefined` when the key is acceptable.
 */
export function validateApiKeyInput(value: string): string | undefined {
  const key = normalizeApiKey(value);
  if (key === '') return vscode.l10n.t('Enter the key, or press Escape to cancel.');
  if (/\s/.test(key)) return vscode.l10n.t('An API key has no spaces or line breaks: check what was pasted.');
  return undefined;
}

/** Trims the key and drops a pasted `Bearer ` prefix. */
export function normalizeApiKey(value: string): string {
  return value.trim().replace(/^Bearer\s+/i, '');
}

/**
 * Registers “Biowrite: Set API Key”: a password input box whose value goes only to SecretStorage.
 * The command resolves to `true` when a key was stored, `false` when the user cancelled.
 * @param apiKeys Where the key is kept.
 */
export function registerSetApiKeyCommand(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand(setApiKeyCommandId, async (): Promise<boolean> => {
    const hadKey = (await apiKeys.get()) !== undefined;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Biowrite: Set API Key'),
      prompt: hadKey
        ? vscode.l10n.t('Replace the stored key of your LLM endpoint. It is kept in VS Code’s secret storage, never in settings.')
        : vscode.l10n.t('The key of your LLM endpoint (e.g. an OpenAI key). It is kept in VS Code’s secret storage, never in settings.'),
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateApiKeyInput,
    });
    if (value === undefined) return false;
    const key = normalizeApiKey(value);
    if (validateApiKeyInput(key) !== undefined) return false;
    await apiKeys.set(key);
    const action = vscode.l10n.t('Test Connection');
    void vscode.window.showInformationMessage(vscode.l10n.t('Biowrite stored the API key in secret storage.'), action).then((choice) => {
      if (choice === action) void vscode.commands.executeCommand('biowrite.testConnection');
    });
    return true;
  });
}
