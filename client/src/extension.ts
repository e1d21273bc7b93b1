// VS Code side of Acrotopo: starts the language server (bundled as dist/server.js) over stdio, shows the
// problem count of the active Acrotopo document in the status bar, and registers the preview.
// Nothing here executes anything a workspace or a document controls, so untrusted workspaces are supported.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import nodeOptions from '../../server/node-options.json';
import { SERVER_STATUS_METHOD } from '../../server/src/protocol';
import type { ServerStatus } from '../../server/src/protocol';
import { registerPreview } from './preview';
import { SettingControlledTraceChannel } from './traceChannel';

export const LANGUAGE_ID = 'acrotopo';

let client: LanguageClient | undefined;

/** What activate() returns (tests reach the client through it). */
export interface AcrotopoApi {
  client: LanguageClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<AcrotopoApi> {
  const output = vscode.window.createOutputChannel('Acrotopo', { log: true });
  const traceChannel = new SettingControlledTraceChannel(output);
  context.subscriptions.push(output, traceChannel);

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    // stdio, not node IPC: over stdio the server writes its diagnostics with its own encoder (kept
    // per diagnostic, ASCII; server/src/publish-encoder.ts), which IPC's process.send would bypass.
    // Node's options and environment come from server/node-options.json, which the benchmark starts the
    // server with too (a young generation of 2 × 4 MiB, large buffers given back to the system when
    // freed: docs/language-server.md, Memory). The environment is added to the extension host's.
    run: { module, transport: TransportKind.stdio, options: { execArgv: [...nodeOptions.execArgv], env: { ...nodeOptions.env } } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [...nodeOptions.execArgv, '--nolazy', '--inspect=6011'], env: { ...nodeOptions.env } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: { configurationSection: LANGUAGE_ID },
    outputChannel: output,
    // `acrotopo.trace.server` alone switches the LSP trace on (see traceChannel.ts).
    traceOutputChannel: traceChannel,
    // Hover and completion text comes from our server; never let it run commands or raw HTML.
    markdown: { isTrusted: false, supportHtml: false },
  };
  // The id 'acrotopo' makes the client read `acrotopo.trace.server` (messages / verbose) by itself.
  const lc = new LanguageClient(LANGUAGE_ID, 'Acrotopo Language Server', serverOptions, clientOptions);
  client = lc;
  context.subscriptions.push(
    vscode.commands.registerCommand('acrotopo.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('acrotopo.showServerStatus', async () => {
      try {
        const st = await lc.sendRequest<ServerStatus | null>(SERVER_STATUS_METHOD);
        if (!st) throw new Error('no answer');
        output.info(`language server: pid ${st.pid}, node ${st.node} ${st.execArgv.join(' ')}; heap growing ${st.heapGrowingPercent ?? 'V8 default'}%; ${st.cores} cores, marking ${st.concurrentMarking ? 'concurrent' : 'on the main thread'}`);
        output.info(`memory (MiB): rss ${st.memory.rss}, heap ${st.memory.heapUsed} used of ${st.memory.heapTotal}, external ${st.memory.external}`);
        output.info(`heap spaces (MiB, used/size): ${st.heapSpaces.filter((x) => x.size > 0).map((x) => `${x.name} ${x.used}/${x.size}`).join(', ')}`);
        if (st.collectedAfterOpen) output.info(`collected once after a large open: ${st.collectedAfterOpen.heapBeforeMiB} → ${st.collectedAfterOpen.heapAfterMiB} MiB used, in ${st.collectedAfterOpen.ms} ms`);
        if (st.warmUp) output.info(`warm-up: ${st.warmUp.state}, ${st.warmUp.checks} checks of the sample in ${st.warmUp.ms} ms`);
        output.show(true);
      } catch (e) {
        output.error(`server status: ${e instanceof Error ? e.message : String(e)}`);
        output.show(true);
      }
    }),
    vscode.commands.registerCommand('acrotopo.restartServer', async () => {
      output.info('restarting the language server');
      try {
        if (lc.state === State.Running) await lc.restart();
        else await lc.start();
      } catch (e) {
        output.error(`restart failed: ${e instanceof Error ? e.message : String(e)}`);
        void vscode.window.showErrorMessage('The Acrotopo language server did not restart. See the Acrotopo output for details.');
      }
    }),
  );

  context.subscriptions.push(new ProblemStatus());

  // The preview owns its own commands and webview.
  registerPreview(context, lc);

  try {
    await lc.start();
  } catch (e) {
    output.error(`The Acrotopo language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage('The Acrotopo language server did not start. See the Acrotopo output for details.', 'Show Output')
      .then((choice) => { if (choice) output.show(true); });
  }
  return { client: lc };
}

export async function deactivate(): Promise<void> {
  const lc = client;
  client = undefined;
  if (lc && lc.state !== State.Stopped) await lc.stop();
}

/** Status-bar item with the error/warning count of the active Acrotopo document; a click opens the Problems panel. */
class ProblemStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('acrotopo.problems', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'Acrotopo Problems';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const counts = countBySeverity(vscode.languages.getDiagnostics(doc.uri));
    // Named, so it is not mistaken for VS Code's own (workspace-wide) problem counter next to it.
    this.item.text = counts.errors + counts.warnings + counts.infos === 0 ? '$(check) Acrotopo'
      : `Acrotopo $(error) ${counts.errors} $(warning) ${counts.warnings}` + (counts.infos ? ` $(info) ${counts.infos}` : '');
    const summary = `Acrotopo: ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')} in ${path.basename(doc.uri.path)}`;
    this.item.tooltip = `${summary} — click to open the Problems panel`;
    this.item.accessibilityInformation = { label: summary, role: 'button' };
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

/** Counts only Acrotopo's diagnostics (source `acrotopo`), or all when a diagnostic has no source. */
export function countBySeverity(diagnostics: readonly vscode.Diagnostic[]): { errors: number; warnings: number; infos: number } {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== LANGUAGE_ID) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
