import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ApiKeyStore, llmApiKeySecret } from '../../../src/vscode/secrets';

/** An in-memory SecretStorage with change events, like VS Code's. */
function fakeSecretStorage(options: { failReads?: boolean } = {}) {
  const values = new Map<string, string>();
  const listeners = new Set<(event: vscode.SecretStorageChangeEvent) => void>();
  const fire = (key: string) => listeners.forEach((listener) => listener({ key }));
  const storage = {
    keys: async () => [...values.keys()],
    get: async (key: string) => {
      if (options.failReads) throw new Error('keychain locked');
      return values.get(key);
    },
    store: async (key: string, value: string) => {
      values.set(key, value);
      fire(key);
    },
    delete: async (key: string) => {
      values.delete(key);
      fire(key);
    },
    onDidChange: (listener: (event: vscode.SecretStorageChangeEvent) => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  return { storage: storage as unknown as vscode.SecretStorage, values, fire };
}

describe('ApiKeyStore', () => {
  it('stores the trimmed key under biowrite.llm.apiKey and reads it back', async () => {
    const { storage, values } = fakeSecretStorage();
    const store = new ApiKeyStore(storage);
    assert.equal(await store.get(), undefined);
    await store.set('  sk-abc123\n');
    assert.equal(values.get(llmApiKeySecret), 'sk-abc123');
    assert.equal(await store.get(), 'sk-abc123');
    await store.clear();
    assert.equal(await store.get(), undefined);
  });

  it('refuses an empty key and treats a blank stored value as none', async () => {
    const { storage, values } = fakeSecretStorage();
    const store = new ApiKeyStore(storage);
    await assert.rejects(store.set('   '), /empty/);
    assert.equal(values.size, 0);
    values.set(llmApiKeySecret, '  ');
    assert.equal(await store.get(), undefined);
  });

  it('fires change events only for its own key', async () => {
    const { storage, fire } = fakeSecretStorage();
    const store = new ApiKeyStore(storage);
    let changes = 0;
    const subscription = store.onDidChange(() => {
      changes += 1;
    });
    fire('biowrite.pubmed.apiKey');
    assert.equal(changes, 0);
    await store.set('sk-1');
    await store.clear();
    assert.equal(changes, 2);
    subscription.dispose();
    await store.set('sk-2');
    assert.equal(changes, 2, 'no events after dispose');
  });

  it('reports no key, instead of failing, when the keychain cannot be read', async () => {
    const store = new ApiKeyStore(fakeSecretStorage({ failReads: true }).storage);
    assert.equal(await store.get(), undefined);
  });
});
