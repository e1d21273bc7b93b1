// `acrotopo check FILES… [--format text|json|sarif] [--rule RULE=SEVERITY …] [--max-warnings N] [--quiet]`
// Reads each file, runs the engine, prints one report. Exit: 0 clean (warnings and infos alone), 1 a
// diagnostic of effective severity error (or more warnings than --max-warnings), 2 usage or I/O error —
// the files that could be read are still checked and printed. Never writes a file.
import { readFileSync, statSync } from 'node:fs';
import { check, DEFAULT_MAX_BYTES } from '@acrotopo/engine';
import type { Diagnostic, SeveritySetting } from '@acrotopo/engine';
import { errnoMessage, expandArgs } from './files';
import { formatJson } from './formatters/json';
import { formatSarif } from './formatters/sarif';
import { formatStylish } from './formatters/stylish';
import type { Io } from './io';
import { paint, useColour } from './io';

export type CheckFormat = 'text' | 'json' | 'sarif';

export interface CheckCommand {
  files: string[];
  format: CheckFormat;
  rules: Record<string, SeveritySetting>;
  maxWarnings?: number;
  quiet: boolean;
}

export interface FileResult {
  /** path as given or as expanded (relative to the working directory when it was given so) */
  path: string;
  absolute: string;
  text: string;
  diagnostics: Diagnostic[];
}

/** A file that could not be read or checked, reported on stderr (and in SARIF as a notification). */
export interface FileProblem {
  path: string;
  message: string;
}

/**
 * Files larger than this are refused before reading (the engine itself reports, without checking,
 * any text over its own DEFAULT_MAX_BYTES (5 MiB) limit; this bound only keeps a huge file from exhausting memory).
 */
const MAX_READ_BYTES = 4 * DEFAULT_MAX_BYTES;

/** Bytes looked at for a NUL when deciding that a file is binary (as git and grep do). */
const BINARY_SNIFF = 8192;

export type ReadResult = { text: string } | { error: string };

/** Reads a file as UTF-8 text: refuses directories, binary files (NUL in the first 8 KiB); drops a BOM. */
export function readSource(absolute: string, shown: string): ReadResult {
  let buf: Buffer;
  try {
    const st = statSync(absolute);
    if (st.isDirectory()) return { error: `cannot read '${shown}': it is a directory` };
    // Regular files and pipes (e.g. /dev/stdin fed by a pipe); not devices such as /dev/zero.
    if (!st.isFile() && !st.isFIFO()) return { error: `cannot read '${shown}': not a regular file` };
    if (st.size > MAX_READ_BYTES) {
      return { error: `cannot read '${shown}': it is ${(st.size / 1048576).toFixed(0)} MiB; files over ${MAX_READ_BYTES / 1048576} MiB are not read` };
    }
    buf = readFileSync(absolute);
  } catch (e) {
    return { error: `cannot read '${shown}': ${errnoMessage(e)}` };
  }
  const sniff = buf.subarray(0, BINARY_SNIFF);
  if (sniff.includes(0)) return { error: `cannot read '${shown}': it is a binary file (it contains NUL bytes), not YAML text` };
  let text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

export interface CheckRun {
  results: FileResult[];
  problems: FileProblem[];
}

/** Expands, reads and checks; no output. */
export function checkFiles(cmd: CheckCommand, cwd: string): CheckRun {
  const { files, problems: expandProblems } = expandArgs(cmd.files, cwd);
  const problems: FileProblem[] = expandProblems.map((p) => ({ path: p.arg, message: p.message }));
  const results: FileResult[] = [];
  for (const f of files) {
    const r = readSource(f.absolute, f.path);
    if ('error' in r) {
      problems.push({ path: f.path, message: r.error });
      continue;
    }
    let diagnostics: Diagnostic[];
    try {
      // (only SARIF output carries quick fixes: the rules need not make them for the others)
      diagnostics = check(r.text, { rules: cmd.rules, fileName: f.path, fixes: cmd.format === 'sarif' }).diagnostics;
    } catch (e) {
      // The engine promises not to throw; if it ever does, say so and go on with the other files.
      problems.push({ path: f.path, message: `internal error while checking '${f.path}': ${e instanceof Error ? e.message : String(e)} (please report it)` });
      continue;
    }
    results.push({ path: f.path, absolute: f.absolute, text: r.text, diagnostics });
  }
  return { results, problems };
}

export function countBySeverity(results: FileResult[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  }
  return { errors, warnings, infos };
}

export function runCheck(cmd: CheckCommand, io: Io, toolVersion: string): number {
  const env = io.env ?? process.env;
  const { results, problems } = checkFiles(cmd, io.cwd);
  for (const p of problems) io.stderr.write(`acrotopo: ${p.message}\n`);

  const counts = countBySeverity(results);
  // --quiet hides warnings and infos (as ESLint's --quiet); --max-warnings still counts the warnings.
  const shown = cmd.quiet ? results.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') })) : results;

  let out: string;
  if (cmd.format === 'json') out = formatJson(shown);
  else if (cmd.format === 'sarif') out = formatSarif(shown, { cwd: io.cwd, version: toolVersion, notifications: problems });
  else out = formatStylish(shown, paint(useColour(io.stdout, env)), cmd.quiet);
  io.stdout.write(out);

  const tooManyWarnings = cmd.maxWarnings !== undefined && counts.warnings > cmd.maxWarnings;
  if (tooManyWarnings) {
    io.stderr.write(`acrotopo: too many warnings (${counts.warnings}; maximum: ${cmd.maxWarnings})\n`);
  }
  if (problems.length > 0) return 2;
  if (counts.errors > 0 || tooManyWarnings) return 1;
  return 0;
}
