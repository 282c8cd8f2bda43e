import * as vscode from 'vscode';

/** What differs between the “Set … API Key” commands of the literature services (all strings localised). */
export interface ServiceApiKeyCommand {
  /** The command id, as declared in package.json. */
  readonly commandId: string;
  /** The SecretStorage key. */
  readonly secretKey: string;
  /** The input box title. */
  readonly title: string;
  /** The prompt when no key is stored yet. */
  readonly promptNew: string;
  /** The prompt when a key is stored. */
  readonly promptReplace: string;
  /** Checks the typed value; returns a message, or `undefined` when it is acceptable (empty removes the key). */
  readonly validate: (value: string) => string | undefined;
  /** Shown after storing. */
  readonly storedMessage: string;
  /** Shown after removing. */
  readonly removedMessage: string;
}

/**
 * Checks an API key as typed against the service's format; an empty value is acceptable (it removes the key).
 * @param value The typed value.
 * @param format The characters and length the service's keys have.
 * @param messages What to say about spaces (a paste with extra words) and about any other mismatch (localised).
 */
export function checkApiKeyFormat(value: string, format: RegExp, messages: { readonly hasSpaces: string; readonly badFormat: string }): string | undefined {
  const key = value.trim();
  if (key === '') return undefined;
  if (/\s/.test(key)) return messages.hasSpaces;
  return format.test(key) ? undefined : messages.badFormat;
}

/**
 * Registers a command that stores a literature service's API key in SecretStorage (never in settings or
 * logs); an empty value removes it. The command resolves to whether anything changed.
 * @param secrets The extension's SecretStorage.
 * @param spec The command's id, secret and strings.
 */
export function registerSetServiceApiKeyCommand(secrets: vscode.SecretStorage, spec: ServiceApiKeyCommand): vscode.Disposable {
  return vscode.commands.registerCommand(spec.commandId, async (): Promise<boolean> => {
    const had = Boolean(await secrets.get(spec.secretKey).then(undefined, () => undefined));
    const value = await vscode.window.showInputBox({
      title: spec.title,
      prompt: had ? spec.promptReplace : spec.promptNew,
      password: true,
      ignoreFocusOut: true,
      validateInput: spec.validate,
    });
    if (value === undefined || spec.validate(value) !== undefined) return false;
    const key = value.trim();
    try {
      if (key === '') await secrets.delete(spec.secretKey);
      else await secrets.store(spec.secretKey, key);
    } catch (error) {
      // A locked or missing keychain: say so instead of pretending the key was kept.
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Biowrite could not use VS Code’s secret storage ({0}). Unlock the system keychain and run the command again.', error instanceof Error ? error.message : String(error)),
      );
      return false;
    }
    void vscode.window.showInformationMessage(key === '' ? spec.removedMessage : spec.storedMessage);
    return true;
  });
}
