import type * as vscode from 'vscode';

/** Anything with a `dispose` method, e.g. a `vscode.Disposable`. */
export interface DisposableLike {
  dispose(): unknown;
}

/**
 * A base class that owns disposables: subclasses `_register` what they create and it is all
 * disposed, newest first, with the object (the pattern of vscode-pull-request-github).
 */
export abstract class Disposable implements vscode.Disposable {
  private _isDisposed = false;
  private _disposables: DisposableLike[] = [];

  /** Disposes everything registered; later calls do nothing. */
  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
    this._disposables = [];
  }

  /** Whether {@link dispose} has run. */
  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Takes ownership of a disposable; if this object is already disposed, disposes it at once.
   * @returns The same disposable, for chaining.
   */
  protected _register<T extends DisposableLike>(disposable: T): T {
    if (this._isDisposed) disposable.dispose();
    else this._disposables.push(disposable);
    return disposable;
  }
}

/** Disposes every item, newest first, even when one of them throws; rethrows the first error afterwards. */
export function disposeAll(disposables: readonly DisposableLike[]): void {
  let firstError: unknown;
  for (const disposable of [...disposables].reverse()) {
    try {
      disposable.dispose();
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}
