// Logging to the client's output channel (window/logMessage through connection.console).
import type { Connection } from 'vscode-languageserver';

export interface Log {
  error(message: string, e?: unknown): void;
  info(message: string): void;
  /** only when `acrotopo.trace.server` is `verbose` */
  verbose(message: string): void;
}

export function createLog(connection: Connection, isVerbose: () => boolean): Log {
  const safe = (f: () => void) => {
    try {
      f();
    } catch {
      // the connection is gone: nothing left to tell
    }
  };
  return {
    error: (message, e) => safe(() => connection.console.error(`${message}${e === undefined ? '' : `: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`}`)),
    info: (message) => safe(() => connection.console.info(message)),
    verbose: (message) => {
      if (isVerbose()) safe(() => connection.console.log(message));
    },
  };
}
