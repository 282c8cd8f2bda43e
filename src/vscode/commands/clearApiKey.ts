import * as vscode from 'vscode';
import type { ApiKeyStore } from '../secrets';

/** The command id, as declared in package.json. */
export const clearApiKeyCommandId = 'biowrite.clearApiKey';

/**
 * Registers “Biowrite: Clear API Key”: removes the key from SecretStorage.
 * The command resolves to `true` when a key was removed, `false` when there was none.
 * @param apiKeys Where the key is kept.
 */
export function registerClearApiKeyCommand(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand(clearApiKeyCommandId, async (): Promise<boolean> => {
    const hadKey = (await apiKeys.get()) !== undefined;
    await apiKeys.clear();
    void vscode.window.showInformationMessage(
      hadKey ? vscode.l10n.t('Biowrite removed the API key from secret storage.') : vscode.l10n.t('Biowrite had no API key stored.'),
    );
    return hadKey;
  });
}
