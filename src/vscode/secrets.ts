import type * as vscode from 'vscode';

/** The SecretStorage key of the LLM API key. */
export const llmApiKeySecret = 'biowrite.llm.apiKey';

/**
 * The LLM API key in VS Code's SecretStorage (the OS keychain), the only place it is kept:
 * never in settings, logs or the webview.
 */
export class ApiKeyStore {
  /** Fires when the key is set, changed or cleared, in this window or another. */
  readonly onDidChange: vscode.Event<void>;

  /**
   * @param secrets The extension's SecretStorage.
   */
  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = (listener, thisArgs, disposables) =>
      secrets.onDidChange(
        (event) => {
          if (event.key === llmApiKeySecret) listener.call(thisArgs, undefined);
        },
        undefined,
        disposables,
      );
  }

  /** The key, or `undefined` when none is stored (or the keychain is unavailable). */
  async get(): Promise<string | undefined> {
    try {
      const key = await this.secrets.get(llmApiKeySecret);
      return key && key.trim() !== '' ? key : undefined;
    } catch {
      // A locked or missing keychain must not break the features that need no key.
      return undefined;
    }
  }

  /**
   * Stores the key, trimmed.
   * @throws Error when the key is empty.
   */
  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (trimmed === '') throw new Error('The API key is empty.');
    await this.secrets.store(llmApiKeySecret, trimmed);
  }

  /** Removes the key. */
  async clear(): Promise<void> {
    await this.secrets.delete(llmApiKeySecret);
  }
}
