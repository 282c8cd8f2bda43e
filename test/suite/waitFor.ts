import * as assert from 'assert';

/**
 * Polls until a value is accepted, for state the extension updates asynchronously (diagnostics,
 * panel state, settings). Fails with what was awaited and the last value seen.
 * @param read Reads the current value.
 * @param accept Whether the value is the one awaited.
 * @param what What is awaited, for the failure message.
 * @param attempts How many reads, 100 ms apart (optional; default: 150).
 * @returns The accepted value.
 */
export async function waitFor<T>(read: () => T | PromiseLike<T>, accept: (value: T) => boolean, what: string, attempts = 150): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < attempts && !accept(value); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  assert.ok(accept(value), `timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
  return value;
}
