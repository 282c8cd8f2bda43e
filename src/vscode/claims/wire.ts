import * as vscode from 'vscode';
import type { ClaimFinding } from '../../core/claims/checker';
import type { ClaimItem, WireRange } from '../../shared/protocol';

/** The argument `biowrite.findSources` receives from the claims feature (one object). */
export interface FindSourcesArgument {
  /** The document, as `uri.toString()`. */
  readonly uri: string;
  /** The sentence's range, 0-based lines and UTF-16 characters. */
  readonly range: WireRange;
  /** The sentence as the user sees it (citations removed). */
  readonly sentence: string;
}

/** A VS Code range as sent over the wire. */
export function toWireRange(range: vscode.Range): WireRange {
  return { startLine: range.start.line, startCharacter: range.start.character, endLine: range.end.line, endCharacter: range.end.character };
}

/** A wire range as a VS Code range. */
export function fromWireRange(range: WireRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
}

/** The VS Code range of a finding. */
export function findingRange(finding: ClaimFinding): vscode.Range {
  return new vscode.Range(finding.range.start.line, finding.range.start.character, finding.range.end.line, finding.range.end.character);
}

/** A stable id for a claim in a document: its start and a hash of its text. */
export function claimId(finding: ClaimFinding): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < finding.text.length; index++) {
    hash ^= finding.text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${finding.range.start.line}:${finding.range.start.character}:${(hash >>> 0).toString(36)}`;
}

/** A finding as the panel lists it. */
export function toClaimItem(finding: ClaimFinding): ClaimItem {
  return {
    id: claimId(finding),
    text: finding.text,
    score: finding.score,
    reason: finding.message,
    range: toWireRange(findingRange(finding)),
  };
}

/** Whether a value looks like a wire range (for arguments from commands and the webview). */
export function isWireRange(value: unknown): value is WireRange {
  if (typeof value !== 'object' || value === null) return false;
  const range = value as Record<string, unknown>;
  return ['startLine', 'startCharacter', 'endLine', 'endCharacter'].every((key) => typeof range[key] === 'number' && Number.isInteger(range[key]) && (range[key] as number) >= 0);
}
