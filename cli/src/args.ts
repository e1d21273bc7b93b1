// A small, strict option parser: `--name value`, `--name=value`, short aliases (`-f json`), flags,
// repeatable options, `--` to end options. Anything unknown is a UsageError (exit 2).
import { UsageError } from './io';

export interface OptionSpec {
  name: string;
  alias?: string;
  /** takes a value */
  value?: boolean;
  /** may be given several times (values collected in order) */
  repeat?: boolean;
}

export interface Parsed {
  options: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: OptionSpec[], command: string): Parsed {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.alias) byName.set(`-${s.alias}`, s);
  }
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(key);
    if (!spec) throw new UsageError(`unknown option '${key}'${suggest(key, [...byName.keys()])}`, command);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option '--${spec.name}' takes no value`, command);
      flags.add(spec.name);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`option '${key}' needs a value`, command);
      value = argv[++i];
    }
    const list = options.get(spec.name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`option '--${spec.name}' given more than once`, command);
    list.push(value);
    options.set(spec.name, list);
  }
  return { options, flags, positionals };
}

/** Levenshtein distance (small strings: option names, rule ids, commands). */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** `; did you mean 'x'?` when a candidate is within edit distance 2, else ''. */
export function suggest(word: string, candidates: string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best ? `; did you mean '${best}'?` : '';
}

/** One value of a non-repeatable option, checked against the allowed values. */
export function oneOf<T extends string>(p: Parsed, name: string, allowed: readonly T[], fallback: T, command: string): T {
  const v = p.options.get(name)?.[0];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`invalid value '${v}' for --${name}: use one of ${allowed.join(', ')}${suggest(v, [...allowed])}`, command);
  }
  return v as T;
}
