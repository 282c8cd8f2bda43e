import * as vscode from 'vscode';
import { pubmedApiKeySecret } from '../sources/sourcesSettings';

/** The command id, as declared in package.json. */
export const setPubmedApiKeyCommandId = 'biowrite.setPubmedApiKey';

/** Checks an NCBI API key as typed: hexadecimal-looking, no spaces; empty removes the stored key. */
export function validatePubmedApiKey(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return undefined;
  if (/\s/.test(key)) return vscode.l10n.t('An NCBI API key has no spaces: check what was pasted.');
  if (!/^[A-Za-z0-9]{20,64}$/.test(key)) return vscode.l10n.t('An NCBI API key is 20 to 64 letters and digits (see your NCBI account settings).');
  return undefined;
}

/**
 * Registers “Biowrite: Set PubMed API Key”: stores the NCBI `api_key` in SecretStorage (never in
 * settings or logs), which raises PubMed's limit from 3 to 10 requests a second. An empty value removes it.
 * @param secrets The extension's SecretStorage.
 */
export function registerSetPubmedApiKeyCommand(secrets: vscode.SecretStorage): vscode.Disposable {
  return vscode.commands.registerCommand(setPubmedApiKeyCommandId, async (): Promise<boolean> => {
    const had = Boolean(await secrets.get(pubmedApiKeySecret).then(undefined, () => undefined));
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Biowrite: Set PubMed API Key'),
      prompt: had
        ? vscode.l10n.t('Replace the stored NCBI API key, or leave empty to remove it. It is kept in VS Code’s secret storage.')
        : vscode.l10n.t('Your NCBI API key (NCBI account → API Key Management) lets Biowrite send 10 PubMed requests a second instead of 3. It is kept in VS Code’s secret storage.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: validatePubmedApiKey,
    });
    if (value === undefined || validatePubmedApiKey(value) !== undefined) return false;
    const key = value.trim();
    if (key === '') {
      await secrets.delete(pubmedApiKeySecret);
      void vscode.window.showInformationMessage(vscode.l10n.t('Biowrite removed the PubMed API key.'));
      return true;
    }
    await secrets.store(pubmedApiKeySecret, key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Biowrite stored the PubMed API key in secret storage.'));
    return true;
  });
}
