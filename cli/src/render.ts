// `acrotopo render FILE [--view installation|communication|all] [--theme light|dark] [--expand GROUP…]
// [-o out.svg]`: the same SVG as the VS Code preview. Exit 0 when drawn (even if the file has findings:
// `acrotopo check` is the command that judges), 2 on a usage error, an unreadable file, a file that does
// not parse as YAML, or an output that cannot be written.
import { writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { buildDiagram, check, DIAGRAM_VIEWS, fatalSyntaxErrors } from '@acrotopo/engine';
import type { DiagramView } from '@acrotopo/engine';
import { layout, renderSvg } from '@acrotopo/renderer';
import { oneOf, parseArgs } from './args';
import { readSource } from './check';
import type { Io } from './io';
import { UsageError } from './io';

export const RENDER_HELP = `Usage: acrotopo render FILE [options]

Draws the deployment's machines, zones and flows as an SVG (the VS Code preview's picture).

Options:
  --view VIEW       installation | communication | all (default: all)
  --theme THEME     light | dark (default: light); both draw their own background
  --expand GROUP    show the machines of a folded group one by one (repeatable; 'all' expands every group)
  --no-grouping     never fold alike machines into groups
  --no-layout-budget  lay out however large the picture is (by default a picture over 150 boxes or
                    400 arrows is folded further, and a group that would take it past 300 boxes or
                    800 arrows opens into smaller groups, GROUP/…, or stays folded; stderr says so)
  -o, --output OUT  write the SVG to OUT instead of standard output
  -h, --help        show this help

Exit status: 0 drawn, 2 usage error, unreadable file, YAML that does not parse, or unwritable output.
`;

const THEMES = ['light', 'dark'] as const;

export async function runRender(argv: string[], io: Io): Promise<number> {
  let file: string;
  let view: DiagramView;
  let theme: (typeof THEMES)[number];
  let expand: string[];
  let output: string | undefined;
  let grouping = true;
  let budget = true;
  try {
    const p = parseArgs(
      argv,
      [
        { name: 'help', alias: 'h' },
        { name: 'view', value: true },
        { name: 'theme', value: true },
        { name: 'expand', value: true, repeat: true },
        { name: 'no-grouping' },
        { name: 'no-layout-budget' },
        { name: 'output', alias: 'o', value: true },
      ],
      'render',
    );
    if (p.flags.has('help')) {
      io.stdout.write(RENDER_HELP);
      return 0;
    }
    view = oneOf<DiagramView>(p, 'view', DIAGRAM_VIEWS, 'all', 'render');
    theme = oneOf(p, 'theme', THEMES, 'light', 'render');
    expand = p.options.get('expand') ?? [];
    output = p.options.get('output')?.[0];
    grouping = !p.flags.has('no-grouping');
    budget = !p.flags.has('no-layout-budget');
    if (p.positionals.length !== 1) throw new UsageError(p.positionals.length === 0 ? 'no file given: acrotopo render FILE' : 'render takes exactly one file', 'render');
    file = p.positionals[0];
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`acrotopo: ${e.message}\n${RENDER_HELP.split('\n')[0]}\nRun 'acrotopo render --help' for more.\n`);
      return 2;
    }
    throw e;
  }

  const absolute = isAbsolute(file) ? file : resolve(io.cwd, file);
  const read = readSource(absolute, file);
  if ('error' in read) {
    io.stderr.write(`acrotopo: ${read.error}\n`);
    return 2;
  }
  const text = read.text;
  const fatal = fatalSyntaxErrors(text);
  if (fatal.length > 0) {
    for (const f of fatal.slice(0, 5)) io.stderr.write(`${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: error: ${f.message} (yaml-syntax)\n`);
    io.stderr.write(`acrotopo: '${file}' does not parse as YAML; nothing was drawn\n`);
    return 2;
  }
  const result = check(text, { fileName: file });
  const opts = {
    text,
    groupThreshold: grouping ? undefined : Infinity,
    maxNodes: grouping ? undefined : Infinity,
    ...(budget ? {} : { maxLayoutNodes: Infinity, maxLayoutEdges: Infinity }),
  };
  let model = buildDiagram(result, view, opts);
  const groupIds = model.nodes.filter((n) => n.kind === 'group').map((n) => n.id);
  if (expand.length > 0) {
    const known = new Set(groupIds);
    const wanted = expand.includes('all') ? groupIds : expand;
    // (a part of a group that opens into smaller ones under the layout budget is named `<group id>/…`)
    const isKnown = (g: string) => known.has(g) || groupIds.some((id) => g.startsWith(`${id}/`));
    for (const g of wanted) if (!isKnown(g)) io.stderr.write(`acrotopo: warning: no group '${g}' in this view (groups: ${groupIds.join(', ') || 'none'})\n`);
    model = buildDiagram(result, view, { ...opts, expand: wanted });
  }
  let svg: string;
  try {
    svg = renderSvg(await layout(model), { theme });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`acrotopo: the layout failed: ${msg.slice(0, 500)}\n`);
    return 2;
  }
  if (output !== undefined) {
    const out = isAbsolute(output) ? output : resolve(io.cwd, output);
    try {
      writeFileSync(out, svg + '\n');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      io.stderr.write(`acrotopo: cannot write '${output}': ${err.code ?? ''} ${err.message}\n`.replace(/ {2,}/g, ' '));
      return 2;
    }
  } else {
    io.stdout.write(svg + '\n');
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.stderr.write(`acrotopo: note: '${file}' has ${errors} error${errors === 1 ? '' : 's'}; the picture shows them on the boxes and arrows (run 'acrotopo check ${file}')\n`);
  const folded = model.nodes.filter((n) => n.kind === 'group');
  if (folded.length > 0) {
    const list = folded.slice(0, 8).map((n) => `'${n.id}' (${n.label})`).join(', ');
    io.stderr.write(`acrotopo: folded ${folded.length} group${folded.length === 1 ? '' : 's'} of alike machines: ${list}${folded.length > 8 ? `, … ${folded.length - 8} more` : ''}; show them one by one with --expand GROUP or --expand all\n`);
  }
  for (const note of model.notes ?? []) io.stderr.write(`acrotopo: note: ${note}${budget ? ' (--no-layout-budget lays out everything)' : ''}\n`);
  if (model.stats.omittedFlows > 0) io.stderr.write(`acrotopo: note: ${model.stats.omittedFlows} flow${model.stats.omittedFlows === 1 ? '' : 's'} not drawn: an end is not a declared machine\n`);
  return 0;
}
