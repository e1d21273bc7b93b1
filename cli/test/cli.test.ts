// Behaviour of the built `acrotopo` command (cli/bin/acrotopo.js → cli/dist/acrotopo.js), run as a
// child process the way a user or a CI job runs it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RULES } from '@acrotopo/engine';
import { CLEAN } from './fixtures';
import { ensureBuiltCli, ROOT, runBin } from './built-cli';
import { sarifProblems } from './sarif-shape';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'cli', 'package.json'), 'utf8')).version as string;
const ESC = '\u001b[';

// Fixtures, written to a temporary directory per run.
// Only a warning (tcp/25001 of the installation) and an info (SMB encryption not stated).
const WARNINGS_ONLY = `acrotopo: 1
machines:
  ams01:
    os: windows
    components: [management-server, management-console]
  fs01:
    os: windows
    components: [agent-for-windows]
management:
  server: ams01
installation:
  from: ams01
  to: [fs01]
`;
// A schema error on line 4 (the value 'windoze', columns 9-16) and on line 5 (the key 'adress').
const ERRORS = `acrotopo: 1
machines:
  fs01:
    os: windoze
    adress: 10.0.0.1
`;

let dir: string;

before(async () => {
  await ensureBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'acrotopo-cli-'));
  writeFileSync(join(dir, 'clean.acrotopo.yaml'), CLEAN);
  writeFileSync(join(dir, 'warn.acrotopo.yaml'), WARNINGS_ONLY);
  writeFileSync(join(dir, 'errors.acrotopo.yaml'), ERRORS);
  writeFileSync(join(dir, 'binary.acrotopo.yaml'), Buffer.from([0x61, 0x63, 0x00, 0x01, 0x02, 0x0a]));
  // a tree for directory and glob expansion
  mkdirSync(join(dir, 'tree', 'site-b', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'tree', 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(join(dir, 'tree', '.git'), { recursive: true });
  mkdirSync(join(dir, 'empty'), { recursive: true });
  writeFileSync(join(dir, 'tree', 'hq.acrotopo.yaml'), CLEAN);
  writeFileSync(join(dir, 'tree', 'site-b', 'branch.acrotopo.yml'), CLEAN);
  writeFileSync(join(dir, 'tree', 'site-b', 'deep', 'lab.acrotopo.yaml'), WARNINGS_ONLY);
  writeFileSync(join(dir, 'tree', 'site-b', 'notes.yaml'), 'not: acrotopo\n');
  writeFileSync(join(dir, 'tree', 'node_modules', 'pkg', 'x.acrotopo.yaml'), ERRORS);
  writeFileSync(join(dir, 'tree', '.git', 'y.acrotopo.yaml'), ERRORS);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const inDir = (args: string[], env?: Record<string, string>) => runBin(args, { cwd: dir, env });
const jsonFiles = (stdout: string) => (JSON.parse(stdout) as { file: string }[]).map((r) => r.file);

describe('acrotopo check: exit codes', () => {
  it('exits 0 and says so for a clean file', () => {
    const r = inDir(['check', 'clean.acrotopo.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '✔ no problems (1 file checked)\n');
    assert.equal(r.stderr, '');
  });

  it('exits 0 when there are only warnings and infos, and prints them', () => {
    const r = inDir(['check', 'warn.acrotopo.yaml']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /warning\s+port 25001 is unencrypted.*unencrypted-port/);
    assert.match(r.stdout, /info\s+.*smb-encryption-unknown/);
    assert.match(r.stdout, /✖ 2 problems \(0 errors, 1 warning, 1 info\)/);
  });

  it('exits 1 when a diagnostic has severity error', () => {
    const r = inDir(['check', 'errors.acrotopo.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^\nerrors\.acrotopo\.yaml\n/);
    assert.match(r.stdout, / {2}4:9 {2}error {2}'windoze' is not an allowed os/);
    assert.match(r.stdout, /✖ 2 problems \(2 errors, 0 warnings, 0 infos\)\n$/);
  });

  it('--rule lowers a rule to off (exit 1 → 0) and raises one to error (exit 0 → 1)', () => {
    assert.equal(inDir(['check', 'errors.acrotopo.yaml', '--rule', 'schema=off']).code, 0);
    const r = inDir(['check', '--rule=unencrypted-port=error', 'warn.acrotopo.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error\s+port 25001 is unencrypted/);
  });

  it('--rule rejects an unknown rule (with a suggestion) and a bad severity: exit 2', () => {
    const r = inDir(['check', 'clean.acrotopo.yaml', '--rule', 'unencrypted-prt=off']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule 'unencrypted-prt' in --rule; did you mean 'unencrypted-port'\?/);
    assert.equal(inDir(['check', 'clean.acrotopo.yaml', '--rule', 'schema=fatal']).code, 2);
    assert.equal(inDir(['check', 'clean.acrotopo.yaml', '--rule', 'schema']).code, 2);
  });

  it('--max-warnings N: exit 1 above N, 0 at N', () => {
    const over = inDir(['check', 'warn.acrotopo.yaml', '--max-warnings', '0']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings \(1; maximum: 0\)/);
    assert.equal(inDir(['check', 'warn.acrotopo.yaml', '--max-warnings=1']).code, 0);
    assert.equal(inDir(['check', 'warn.acrotopo.yaml', '--max-warnings', 'many']).code, 2);
  });

  it('--quiet shows errors only', () => {
    const r = inDir(['check', '--quiet', 'warn.acrotopo.yaml', 'errors.acrotopo.yaml']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /^ +\d+:\d+ +(warning|info) /m);
    assert.doesNotMatch(r.stdout, /warn\.acrotopo\.yaml/);
    assert.match(r.stdout, /✖ 2 problems \(2 errors, 0 warnings, 0 infos\)/);
    const onlyWarnings = inDir(['check', '-q', 'warn.acrotopo.yaml']);
    assert.equal(onlyWarnings.code, 0);
    assert.equal(onlyWarnings.stdout, '✔ no errors (1 file checked)\n');
  });
});

describe('acrotopo check: unreadable arguments', () => {
  it('a missing file: message on stderr, exit 2, the other files still checked and printed', () => {
    const r = inDir(['check', 'missing.acrotopo.yaml', 'errors.acrotopo.yaml', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "acrotopo: cannot read 'missing.acrotopo.yaml': ENOENT: no such file or directory\n");
    const out = JSON.parse(r.stdout) as { file: string; diagnostics: unknown[] }[];
    assert.deepEqual(out.map((x) => x.file), ['errors.acrotopo.yaml']);
    assert.equal(out[0].diagnostics.length, 2);
  });

  it('a missing file next to a clean one still exits 2 (text output of the clean one printed)', () => {
    const r = inDir(['check', 'clean.acrotopo.yaml', 'nope.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read 'nope\.yaml': ENOENT/);
    assert.equal(r.stdout, '✔ no problems (1 file checked)\n');
  });

  it('a binary file (NUL in the first 8 KiB) is refused with exit 2', () => {
    const r = inDir(['check', 'binary.acrotopo.yaml', 'clean.acrotopo.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read 'binary\.acrotopo\.yaml': it is a binary file/);
    assert.match(r.stdout, /no problems \(1 file checked\)/);
  });

  it('a directory without acrotopo files is an error (exit 2)', () => {
    const r = inDir(['check', 'empty']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no \*\.acrotopo\.yaml or \*\.acrotopo\.yml files in directory 'empty'/);
  });

  it('a glob that matches nothing is an error (exit 2)', () => {
    const r = inDir(['check', 'tree/**/*.nothing.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no files match the pattern 'tree\/\*\*\/\*\.nothing\.yaml'/);
  });

  it('a device such as /dev/zero is refused, not read forever (exit 2)', { skip: !existsSync('/dev/zero') }, () => {
    const r = inDir(['check', '/dev/zero']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read '\/dev\/zero': not a regular file/);
  });

  it('a UTF-8 byte-order mark is dropped: positions are those an editor shows', () => {
    writeFileSync(join(dir, 'bom.acrotopo.yaml'), `\ufeff${ERRORS}`);
    const r = inDir(['check', 'bom.acrotopo.yaml', '-f', 'json']);
    const d = (JSON.parse(r.stdout) as { diagnostics: { line: number; column: number }[] }[])[0].diagnostics[0];
    assert.deepEqual([d.line, d.column], [4, 9]);
  });

  it('never writes: the checked files are unchanged', () => {
    inDir(['check', 'warn.acrotopo.yaml', '-f', 'sarif']);
    assert.equal(readFileSync(join(dir, 'warn.acrotopo.yaml'), 'utf8'), WARNINGS_ONLY);
  });
});

describe('acrotopo check: FILES expansion', () => {
  it('a directory expands to every *.acrotopo.yaml/yml below it, sorted, skipping node_modules and dot-dirs', () => {
    const r = inDir(['check', 'tree', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonFiles(r.stdout), ['tree/hq.acrotopo.yaml', 'tree/site-b/branch.acrotopo.yml', 'tree/site-b/deep/lab.acrotopo.yaml']);
  });

  it('a quoted glob is expanded by acrotopo (** spans directories), sorted', () => {
    const r = inDir(['check', 'tree/**/*.acrotopo.yaml', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonFiles(r.stdout), ['tree/hq.acrotopo.yaml', 'tree/site-b/deep/lab.acrotopo.yaml']);
    const braces = inDir(['check', 'tree/site-b/*.acrotopo.{yaml,yml}', '-f', 'json']);
    assert.deepEqual(jsonFiles(braces.stdout), ['tree/site-b/branch.acrotopo.yml']);
  });

  it('a file named twice (directly and through a directory) is checked once', () => {
    const r = inDir(['check', 'tree/hq.acrotopo.yaml', 'tree', '-f', 'json']);
    assert.deepEqual(jsonFiles(r.stdout), ['tree/hq.acrotopo.yaml', 'tree/site-b/branch.acrotopo.yml', 'tree/site-b/deep/lab.acrotopo.yaml']);
  });
});

describe('acrotopo check: formats', () => {
  it('--format json: the spec keys, positions 1-based (column = character + 1, end exclusive)', () => {
    const r = inDir(['check', 'errors.acrotopo.yaml', '--format', 'json']);
    assert.equal(r.code, 1);
    const [file] = JSON.parse(r.stdout) as { file: string; diagnostics: Record<string, unknown>[] }[];
    assert.equal(file.file, 'errors.acrotopo.yaml');
    const d = file.diagnostics[0];
    assert.deepEqual(Object.keys(d), ['rule', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
    assert.deepEqual([d.rule, d.severity, d.line, d.column, d.endLine, d.endColumn], ['schema', 'error', 4, 9, 4, 16]);
    const line = ERRORS.split('\n')[(d.line as number) - 1];
    assert.equal(line.slice((d.column as number) - 1, (d.endColumn as number) - 1), 'windoze');
  });

  it('--format sarif: a structurally valid SARIF 2.1.0 log with every rule, results, related locations and fixes', () => {
    const r = inDir(['check', 'warn.acrotopo.yaml', 'errors.acrotopo.yaml', 'missing.acrotopo.yaml', '--format', 'sarif']);
    assert.equal(r.code, 2);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifProblems(log), []);
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.equal(run.tool.driver.name, 'acrotopo');
    assert.equal(run.tool.driver.version, VERSION);
    assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id), RULES.map((x) => x.id));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown, rule.id);
      assert.match(rule.helpUri, new RegExp(`/docs/rules\\.md#${rule.id}$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    const unenc = run.results.find((x: { ruleId: string }) => x.ruleId === 'unencrypted-port');
    assert.equal(unenc.level, 'warning');
    assert.deepEqual(unenc.locations[0].physicalLocation.artifactLocation, { uri: 'warn.acrotopo.yaml', uriBaseId: '%SRCROOT%' });
    assert.equal(unenc.locations[0].physicalLocation.region.startLine, 13);
    assert.ok(unenc.relatedLocations.length >= 1);
    const info = run.results.find((x: { ruleId: string }) => x.ruleId === 'smb-encryption-unknown');
    assert.equal(info.level, 'note');
    const withFix = run.results.find((x: { fixes?: unknown[] }) => x.fixes?.length);
    assert.ok(withFix, 'some result carries a fix');
    assert.ok(withFix.fixes[0].artifactChanges[0].replacements[0].deletedRegion.startLine >= 1);
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/'), true);
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /missing\.acrotopo\.yaml/);
  });

  it('--format sarif: a file outside the working directory gets an absolute file URI', () => {
    const r = runBin(['check', '../errors.acrotopo.yaml', '-f', 'sarif'], { cwd: join(dir, 'tree') });
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifProblems(log), []);
    const loc = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.equal(loc.uriBaseId, undefined);
    assert.match(loc.uri, /^file:\/\/\/.*\/errors\.acrotopo\.yaml$/);
  });

  it('the SARIF checker itself rejects a broken log', () => {
    assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), []);
    assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'a' }] } }, results: [{ ruleId: 'b', ruleIndex: 0, message: { text: 'm' } }] }] }), []);
    assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'info' }] }] }), []);
  });

  it('unknown --format value: exit 2 with a suggestion', () => {
    const r = inDir(['check', 'clean.acrotopo.yaml', '--format', 'jsno']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid value 'jsno' for --format: use one of text, json, sarif; did you mean 'json'\?/);
  });
});

describe('acrotopo check: colour', () => {
  it('no colour when stdout is piped', () => {
    const r = inDir(['check', 'errors.acrotopo.yaml']);
    assert.ok(!r.stdout.includes(ESC));
  });
  it('colour with FORCE_COLOR=1 (underlined path, red error)', () => {
    const r = inDir(['check', 'errors.acrotopo.yaml'], { FORCE_COLOR: '1' });
    assert.ok(r.stdout.includes(`${ESC}4merrors.acrotopo.yaml${ESC}24m`));
    assert.ok(r.stdout.includes(`${ESC}31merror${ESC}39m`));
  });
  it('NO_COLOR wins over a TTY but FORCE_COLOR=0 disables colour too', () => {
    assert.ok(!inDir(['check', 'errors.acrotopo.yaml'], { FORCE_COLOR: '0' }).stdout.includes(ESC));
    assert.ok(!inDir(['check', 'errors.acrotopo.yaml'], { NO_COLOR: '1' }).stdout.includes(ESC));
  });
});

describe('acrotopo: help, version, usage errors', () => {
  it('--version prints the version of cli/package.json', () => {
    const r = inDir(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${VERSION}\n`);
  });
  it('--help, check --help, firewall --help: exit 0 on stdout', () => {
    for (const args of [['--help'], ['-h'], ['check', '--help'], ['firewall', '--help'], ['help', 'check'], ['render', '--help'], ['help', 'render']]) {
      const r = inDir(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: acrotopo/, args.join(' '));
      assert.equal(r.stderr, '');
    }
    assert.match(inDir(['check', '--help']).stdout, /--max-warnings N/);
    assert.match(inDir(['firewall', '--help']).stdout, /table \(default\), csv \(RFC 4180\) or json/);
    assert.match(inDir(['render', '--help']).stdout, /^Usage: acrotopo render FILE/);
  });
  it('an unknown option: exit 2 with usage on stderr', () => {
    const r = inDir(['check', '--colour', 'clean.acrotopo.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^acrotopo: unknown option '--colour'/);
    assert.match(r.stderr, /Usage: acrotopo check FILES…/);
    assert.equal(r.stdout, '');
    const top = inDir(['--frobnicate']);
    assert.equal(top.code, 2);
    assert.match(top.stderr, /Usage: acrotopo <command>/);
  });
  it('an unknown command or none at all: exit 2', () => {
    const r = inDir(['chek', 'x.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'chek'; did you mean 'check'\?/);
    assert.equal(inDir([]).code, 2);
    assert.equal(inDir(['check']).code, 2);
  });
});

describe('acrotopo firewall', () => {
  const dmz = join(ROOT, 'examples', 'problems', 'dmz-firewall.acrotopo.yaml');

  it('table: aligned columns with a header, the blocked flow named with its firewall', () => {
    const r = runBin(['firewall', dmz]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^INITIATOR +ZONE +DESTINATION +ZONE +PORT +SOURCE PORTS +PURPOSE +CATALOGUE +ENCRYPTION +CROSSES +BLOCKED BY$/);
    const col = lines[0].indexOf('PORT');
    const rows = lines.slice(1).filter((l) => l && !l.includes('to allow'));
    for (const l of rows) assert.match(l.slice(col), /^tcp\/\d+/);
    const blocked = rows.filter((l) => l.endsWith('dmz-fw'));
    assert.equal(blocked.length, 1);
    assert.match(blocked[0], /^web02 +dmz +ams01 +lan +tcp\/9876 +32768-61000 +Registering, managing agents +CC-1 +encrypted +dmz-fw +dmz-fw$/);
    // a flow inside one subnet crosses no firewall
    assert.ok(rows.some((l) => /^ams01 +lan +fs01 +lan +tcp\/9876 .* encrypted +- +-$/.test(l)));
    // the registration and the managing arrow of web01 → ams01 are one allow rule with both ids
    assert.ok(rows.some((l) => /^web01 .* tcp\/9876 .*RI-5 CC-1/.test(l)));
    assert.match(r.stdout, /1 is blocked by a declared firewall now/);
  });

  it('csv: RFC 4180 (header, quoted fields with commas, CRLF)', () => {
    const r = runBin(['firewall', dmz, '--format', 'csv']);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\r\n');
    assert.equal(lines[0], 'initiator,initiator_zone,destination,destination_zone,port,source_ports,purpose,catalogue,encryption,crosses,blocked_by');
    assert.ok(lines.includes('web02,dmz,ams01,lan,tcp/9876,32768-61000,"Registering, managing agents",CC-1,encrypted,dmz-fw,dmz-fw'));
    assert.equal(lines.at(-1), '');
  });

  it('json: one object per allow rule with the source-port range of the initiator OS', () => {
    const r = runBin(['firewall', dmz, '-f', 'json']);
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.stdout) as { initiator: string; destination: string; port: string; sourcePorts: string; catalogue: string[]; crosses: string[]; blockedBy: string[] }[];
    const web02 = rows.find((x) => x.initiator === 'web02' && x.destination === 'ams01');
    assert.deepEqual(web02, {
      initiator: 'web02',
      initiatorZone: 'dmz',
      destination: 'ams01',
      destinationZone: 'lan',
      port: 'tcp/9876',
      sourcePorts: '32768-61000',
      purpose: 'Registering, managing agents',
      catalogue: ['CC-1'],
      encryption: 'encrypted',
      crosses: ['dmz-fw'],
      blockedBy: ['dmz-fw'],
    });
    const keys = new Set(rows.map((x) => `${x.initiator}>${x.destination}:${x.port}`));
    assert.equal(keys.size, rows.length, 'no duplicate (initiator, destination, port)');
  });

  it('"any" source ports when the initiator OS is unknown; a file with schema errors exits 1 but still lists', () => {
    const r = inDir(['firewall', 'errors.acrotopo.yaml', '-f', 'json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /may be incomplete/);
    writeFileSync(join(dir, 'noos.acrotopo.yaml'), CLEAN.replace('    os: windows\n', ''));
    const j = JSON.parse(inDir(['firewall', 'noos.acrotopo.yaml', '-f', 'json']).stdout) as { initiator: string; sourcePorts: string }[];
    assert.equal(j.find((x) => x.initiator === 'ams01')?.sourcePorts, 'any');
    assert.equal(j.find((x) => x.initiator === 'web01')?.sourcePorts, '32768-61000');
  });

  it('usage and I/O errors: exit 2', () => {
    assert.equal(inDir(['firewall']).code, 2);
    assert.equal(inDir(['firewall', 'a.yaml', 'b.yaml']).code, 2);
    assert.equal(inDir(['firewall', 'clean.acrotopo.yaml', '--format', 'xml']).code, 2);
    const r = inDir(['firewall', 'missing.acrotopo.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read 'missing\.acrotopo\.yaml': ENOENT/);
  });
});
