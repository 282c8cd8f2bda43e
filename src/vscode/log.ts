import * as vscode from 'vscode';
import type { RequestLogEntry, RequestLogger } from '../core/llm/types';

/** The output channel's name, as users see it in the Output view. */
export const logChannelName = 'Biowrite';

/** Creates the "Biowrite" log output channel (levels, timestamps, "Set Log Level…"). */
export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(logChannelName, { log: true });
}

/**
 * One log line for an HTTP request: service, status, latency and host only, never text, URLs with
 * queries or keys.
 */
export function formatRequestLogEntry(entry: RequestLogEntry): string {
  const host = entry.host ? ` ${entry.host}` : '';
  return `${entry.service} ${entry.status} ${Math.round(entry.latencyMs)} ms${host}`;
}

/**
 * A {@link RequestLogger} writing to the channel: failures (HTTP ≥ 400 or no response) as warnings.
 * @param log The channel.
 */
export function createRequestLogger(log: vscode.LogOutputChannel): RequestLogger {
  return (entry) => {
    const line = formatRequestLogEntry(entry);
    const failed = typeof entry.status === 'string' || entry.status >= 400;
    if (failed) log.warn(line);
    else log.info(line);
  };
}
