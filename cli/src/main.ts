// Entry point of the `acrotopo` command (bundled to cli/dist/acrotopo.js; bin/acrotopo.js requires it).
// Argument parsing and dispatch live in cli.ts; this file only binds them to the process.
import { runCli } from './cli';

// `acrotopo check … | head` closes stdout early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`acrotopo: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
