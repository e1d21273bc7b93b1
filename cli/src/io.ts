// What a command gets to talk to the world with. Tests pass in-memory streams; main.ts passes the process's.

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** directory relative paths are resolved against */
  cwd: string;
  /** environment (NO_COLOR, FORCE_COLOR); defaults to process.env */
  env?: Record<string, string | undefined>;
}

/** Thrown for a command-line mistake: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/**
 * Colour policy (ESLint/chalk conventions): FORCE_COLOR (anything but 0/false) forces colour;
 * otherwise NO_COLOR (any non-empty value) disables it; otherwise colour only when the stream is a TTY.
 */
export function useColour(stream: OutStream, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export interface Paint {
  enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

export function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (enabled && s ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    enabled,
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    underline: wrap(4, 24),
  };
}

/** Plural helper: `plural(2, 'error')` → `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
