// Argument parsing and dispatch of the `acrotopo` command. `runCli(argv, io)` is the whole program
// minus the process: main.ts calls it with process.argv, tests with in-memory streams.
import { RULE_BY_ID, RULES } from '@acrotopo/engine';
import type { SeveritySetting } from '@acrotopo/engine';
import { oneOf, parseArgs, suggest } from './args';
import type { OptionSpec } from './args';
import { runCheck } from './check';
import type { CheckFormat } from './check';
import { runFirewall } from './firewall';
import type { FirewallFormat } from './firewall';
import type { Io } from './io';
import { UsageError } from './io';
import { VERSION } from './meta';

const COMMANDS = ['check', 'firewall', 'render'] as const;
const SEVERITIES = ['error', 'warning', 'info', 'off'] as const;

export const USAGE = `Usage: acrotopo <command> [options]

Checks descriptions of Acronis Backup Advanced 11.x deployments (*.acrotopo.yaml).

Commands:
  check FILES…       check files, directories or quoted globs; print the problems found
  firewall FILE      list the allow rules (flows, ports, source ports) the deployment needs
  render FILE        draw the deployment's connections as SVG

Options:
  -h, --help         show help (also: acrotopo <command> --help)
  -v, --version      print the version

Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.
Docs: docs/cli.md, rules: docs/rules.md
`;

export const CHECK_HELP = `Usage: acrotopo check FILES… [options]

Checks each file and prints every problem. FILES may be files, directories (every
*.acrotopo.yaml / *.acrotopo.yml below them; node_modules and dot-directories skipped)
or quoted globs such as 'examples/**/*.acrotopo.yaml'.

Options:
  -f, --format FORMAT       text (default), json or sarif (SARIF 2.1.0, for code scanning)
      --rule RULE=SEVERITY  set a rule's severity: error, warning, info or off (repeatable;
                            a file's own \`rules:\` entries take precedence)
      --max-warnings N      exit 1 when there are more than N warnings
  -q, --quiet               report errors only
  -h, --help                show this help

Exit codes: 0 no errors (warnings and infos alone give 0), 1 at least one error
(or more warnings than --max-warnings), 2 usage error or a file that cannot be read
(the other files are still checked and reported).
`;

export const FIREWALL_HELP = `Usage: acrotopo firewall FILE [options]

Lists every allow rule the deployment needs: one row per documented connection
(initiator, zone, destination, zone, port, source-port range of the initiator's OS,
purpose, catalogue ids, encryption class), the declared firewalls it crosses and
those that block it now.

Options:
  -f, --format FORMAT   table (default), csv (RFC 4180) or json
  -h, --help            show this help

Exit codes: 0 listed, 1 the file has syntax, schema or reference errors (the list is
printed but may be incomplete), 2 usage error or the file cannot be read.
`;

const HELP_OPTION: OptionSpec = { name: 'help', alias: 'h' };

declare const ACROTOPO_RENDER_BUNDLE: string | undefined;

/**
 * `acrotopo render …` (cli/src/render.ts), loaded on demand: the layout engine (elkjs, 1.6 MB) is most
 * of the bundle's size, and merely compiling it would double the start-up time of `check`. In the
 * bundle (scripts/build.mjs) it is a file of its own, cli/dist/render.js, next to acrotopo.js.
 */
async function runRender(argv: string[], io: Io): Promise<number> {
  const render: typeof import('./render') = typeof ACROTOPO_RENDER_BUNDLE === 'string'
    ? require(require('node:path').join(__dirname, ACROTOPO_RENDER_BUNDLE))
    : await import('./render');
  return render.runRender(argv, io);
}

function printUsageError(e: UsageError, io: Io): number {
  io.stderr.write(`acrotopo: ${e.message}\n`);
  const text = e.command === 'check' ? CHECK_HELP : e.command === 'firewall' ? FIREWALL_HELP : undefined;
  if (text === undefined) io.stderr.write(`\n${USAGE}`);
  else io.stderr.write(`${text.split('\n')[0]}\nRun 'acrotopo ${e.command} --help' for more.\n`);
  return 2;
}

function parseRules(values: string[]): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  const ids = RULES.map((r) => r.id);
  for (const v of values) {
    const m = /^([^=:\s]+)\s*[=:]\s*(\S+)$/.exec(v.trim());
    if (!m) throw new UsageError(`invalid --rule '${v}': write RULE=SEVERITY, e.g. --rule smb-encryption-unknown=off`, 'check');
    const [, id, sev] = m;
    if (!RULE_BY_ID.has(id)) throw new UsageError(`unknown rule '${id}' in --rule${suggest(id, ids)}`, 'check');
    if (!(SEVERITIES as readonly string[]).includes(sev)) {
      throw new UsageError(`invalid severity '${sev}' in --rule ${v}: use one of ${SEVERITIES.join(', ')}${suggest(sev, [...SEVERITIES])}`, 'check');
    }
    out[id] = sev as SeveritySetting;
  }
  return out;
}

function checkCommand(argv: string[], io: Io): number {
  const p = parseArgs(
    argv,
    [HELP_OPTION, { name: 'format', alias: 'f', value: true }, { name: 'rule', value: true, repeat: true }, { name: 'max-warnings', value: true }, { name: 'quiet', alias: 'q' }],
    'check',
  );
  if (p.flags.has('help')) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  const format = oneOf<CheckFormat>(p, 'format', ['text', 'json', 'sarif'], 'text', 'check');
  const rules = parseRules(p.options.get('rule') ?? []);
  let maxWarnings: number | undefined;
  const mw = p.options.get('max-warnings')?.[0];
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`invalid --max-warnings '${mw}': use a whole number (0 or more)`, 'check');
    maxWarnings = Number(mw);
  }
  if (p.positionals.length === 0) throw new UsageError('no files given: acrotopo check FILES…', 'check');
  return runCheck({ files: p.positionals, format, rules, maxWarnings, quiet: p.flags.has('quiet') }, io, VERSION);
}

function firewallCommand(argv: string[], io: Io): number {
  const p = parseArgs(argv, [HELP_OPTION, { name: 'format', alias: 'f', value: true }], 'firewall');
  if (p.flags.has('help')) {
    io.stdout.write(FIREWALL_HELP);
    return 0;
  }
  const format = oneOf<FirewallFormat>(p, 'format', ['table', 'csv', 'json'], 'table', 'firewall');
  if (p.positionals.length !== 1) throw new UsageError(p.positionals.length === 0 ? 'no file given: acrotopo firewall FILE' : 'firewall takes exactly one file', 'firewall');
  return runFirewall({ file: p.positionals[0], format }, io);
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError('no command given');
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = rest[0];
      if (topic === 'check') io.stdout.write(CHECK_HELP);
      else if (topic === 'firewall') io.stdout.write(FIREWALL_HELP);
      else if (topic === 'render') return await runRender(['--help'], io);
      else io.stdout.write(USAGE);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    switch (first) {
      case 'check':
        return checkCommand(rest, io);
      case 'firewall':
        return firewallCommand(rest, io);
      case 'render':
        return await runRender(rest, io);
      default:
        if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'${suggest(first, ['--help', '--version'])}`);
        throw new UsageError(`unknown command '${first}'${suggest(first, [...COMMANDS])}`);
    }
  } catch (e) {
    if (e instanceof UsageError) return printUsageError(e, io);
    throw e;
  }
}
