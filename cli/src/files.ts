// Expands the FILES… arguments of `acrotopo check`: a file stays as it is, a directory becomes every
// `*.acrotopo.yaml` / `*.acrotopo.yml` under it (recursively, skipping node_modules and dot-directories),
// a glob ('examples/**/*.acrotopo.yaml', quoted so the shell leaves it alone) is expanded here with a
// small glob → RegExp matcher over a recursive walk. Results of one argument are sorted; arguments keep
// their order; a file named twice is checked once. Nothing is read here but directory listings.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export const ACROTOPO_FILE_RE = /\.acrotopo\.ya?ml$/i;

/** Directories never entered by a directory or glob expansion. */
function skipDir(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

export interface ExpandedFile {
  /** the path as shown to the user: as given, or as built from the argument (forward slashes) */
  path: string;
  /** absolute path */
  absolute: string;
}

export interface ExpandProblem {
  arg: string;
  message: string;
}

export interface Expansion {
  files: ExpandedFile[];
  problems: ExpandProblem[];
}

const GLOB_CHARS = /[*?[\]{}]/;

export function isGlob(arg: string): boolean {
  return GLOB_CHARS.test(arg);
}

/** Joins a display prefix and a relative path with forward slashes. */
function joinDisplay(base: string, rel: string): string {
  if (base === '' || base === '.') return rel;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** Relative paths (forward slashes) of every file under `dir` that `keep` accepts, sorted. */
function walk(dir: string, keep: (rel: string) => boolean, maxEntries = 200_000): string[] {
  const out: string[] = [];
  let seen = 0;
  const visit = (abs: string, rel: string, depth: number) => {
    if (depth > 64) return;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return; // unreadable directory inside a tree: skip it, as a shell glob would
    }
    for (const e of entries) {
      if (++seen > maxEntries) return;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const childAbs = `${abs}/${e.name}`;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const s = statSync(childAbs);
          isDir = false; // do not follow directory links (cycles)
          isFile = s.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (!skipDir(e.name)) visit(childAbs, childRel, depth + 1);
      } else if (isFile && keep(childRel)) out.push(childRel);
    }
  };
  visit(dir, '', 0);
  return out.sort();
}

/**
 * Converts one glob (forward slashes) to a RegExp over relative paths: `**` spans directories, `*` and
 * `?` stay inside one path segment, `[abc]` / `[!abc]` are classes, `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` = zero or more directories; a trailing `**` = anything below
          if (glob[i + 2] === '/') {
            re += '(?:[^/]+/)*';
            i += 3;
          } else {
            re += '.*';
            i += 2;
          }
          continue;
        }
        re += '[^/]*';
        i += 2;
        continue;
      }
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        i++;
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close + 1;
    } else if (c === '{') {
      braces++;
      re += '(?:';
      i++;
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
      i++;
    } else if (c === ',' && braces > 0) {
      re += '|';
      i++;
    } else {
      re += c.replace(/[.+^$()|\\]/g, '\\$&');
      i++;
    }
  }
  while (braces-- > 0) re += ')';
  return new RegExp(`^${re}$`);
}

/** Splits a glob into the literal directory it starts from and the pattern below it. */
function splitGlob(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/');
  const lit: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0])) lit.push(parts.shift()!);
  let base = lit.join('/');
  if (base === '' && pattern.startsWith('/')) base = '/';
  return { base, rest: parts.join('/') };
}

function expandGlob(pattern: string, cwd: string): string[] {
  const p = pattern.replace(/\\/g, '/');
  const { base, rest } = splitGlob(p);
  const re = globToRegExp(rest);
  const absBase = resolve(cwd, base === '' ? '.' : base);
  try {
    if (!statSync(absBase).isDirectory()) return [];
  } catch {
    return [];
  }
  const stripDot = base.replace(/^\.\/?$/, '');
  return walk(absBase, (rel) => re.test(rel)).map((rel) => joinDisplay(stripDot, rel));
}

function errnoMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') {
    // "ENOENT: no such file or directory, stat 'x'" → "ENOENT: no such file or directory"
    return String(err.message).replace(/, \w+ '.*'$/, '');
  }
  return e instanceof Error ? e.message : String(e);
}

export { errnoMessage };

/** Expands FILES|DIRS|GLOBS. A missing path or an empty expansion is a problem; the rest go on. */
export function expandArgs(args: string[], cwd: string): Expansion {
  const files: ExpandedFile[] = [];
  const problems: ExpandProblem[] = [];
  const seen = new Set<string>();
  const add = (display: string) => {
    const absolute = resolve(cwd, display);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ path: display, absolute });
  };
  for (const arg of args) {
    let st;
    try {
      st = statSync(isAbsolute(arg) ? arg : resolve(cwd, arg));
    } catch (e) {
      if (isGlob(arg)) {
        const found = expandGlob(arg, cwd);
        if (found.length === 0) problems.push({ arg, message: `no files match the pattern '${arg}'` });
        for (const f of found) add(f);
        continue;
      }
      problems.push({ arg, message: `cannot read '${arg}': ${errnoMessage(e)}` });
      continue;
    }
    if (st.isDirectory()) {
      const base = arg.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
      const found = walk(resolve(cwd, arg), (rel) => ACROTOPO_FILE_RE.test(rel)).map((rel) => joinDisplay(base === '.' ? '' : base, rel));
      if (found.length === 0) problems.push({ arg, message: `no *.acrotopo.yaml or *.acrotopo.yml files in directory '${arg}'` });
      for (const f of found) add(f);
    } else add(arg);
  }
  return { files, problems };
}
