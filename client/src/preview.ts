// The diagram preview in VS Code: commands "Acrotopo: Open Preview" / "Open Preview to the Side" /
// "Export Diagram as SVG/PNG", one webview panel per document, a serializer that restores panels after a
// reload. The model comes from the language server (`acrotopo/diagram`, built from the analysis it
// already holds; in-process only when the server is not running — see PreviewSession); ELK lays it out
// inside the webview, off the extension host's thread. The webview page is locked down: strict CSP with a nonce per
// load, scripts enabled only for our own bundle, local resources limited to the `media` folder.
import * as vscode from 'vscode';
import type { Range, SeveritySetting } from '@acrotopo/engine';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DIAGRAM_METHOD } from '../../server/src/protocol';
import type { DiagramParams, DiagramResult } from '../../server/src/protocol';
import { parseState } from '../../webview/src/protocol';
import type { ExportFormat, PreviewState } from '../../webview/src/protocol';
import { makeNonce, previewHtml } from './previewHtml';
import { PreviewSession } from './previewSession';

export const PREVIEW_VIEW_TYPE = 'acrotopo.preview';
const LANGUAGE_ID = 'acrotopo';

interface Panel {
  panel: vscode.WebviewPanel;
  session: PreviewSession;
  document: vscode.TextDocument;
}

/** The extension's language client (set by registerPreview): the preview's models come from it. */
let languageClient: LanguageClient | undefined;

/** Open previews by document URI. */
const panels = new Map<string, Panel>();

function isAcrotopo(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  if (!doc) return false;
  return doc.languageId === LANGUAGE_ID || /\.acrotopo\.ya?ml$/i.test(doc.uri.path);
}

function baseName(uri: vscode.Uri): string {
  const parts = uri.path.split('/');
  return parts[parts.length - 1] || uri.toString();
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

function setHtml(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, fileName: string): void {
  const w = panel.webview;
  const media = vscode.Uri.joinPath(context.extensionUri, 'media');
  w.html = previewHtml({
    cspSource: w.cspSource,
    nonce: makeNonce(),
    scriptUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
    styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
    title: `Preview ${fileName}`,
  });
}

async function saveExport(document: vscode.TextDocument, format: ExportFormat, data: string): Promise<void> {
  const base = baseName(document.uri).replace(/\.acrotopo\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'diagram';
  const defaultUri = document.uri.scheme === 'file'
    ? vscode.Uri.joinPath(document.uri, '..', `${base}.${format}`)
    : undefined;
  const target = await vscode.window.showSaveDialog({
    defaultUri,
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    title: `Export the Acrotopo diagram as ${format.toUpperCase()}`,
  });
  if (!target) return;
  const bytes = format === 'svg'
    ? new TextEncoder().encode(data + '\n')
    : Buffer.from(data.slice('data:image/png;base64,'.length), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Diagram exported to ${target.fsPath || target.toString()}`);
}

function revealInEditor(document: vscode.TextDocument, range: Range, viewColumn: vscode.ViewColumn | undefined): void {
  const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
  void vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? viewColumn ?? vscode.ViewColumn.One, preserveFocus: false, selection: r });
}

/** Binds a webview panel to a document: session, messages, lifetime. */
function attach(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, document: vscode.TextDocument, state?: Partial<PreviewState>): Panel {
  const key = document.uri.toString();
  const fileName = baseName(document.uri);
  panel.title = `Preview ${fileName}`;
  panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'preview-icon.svg');
  const disposables: vscode.Disposable[] = [];
  const session = new PreviewSession(
    {
      uri: key,
      fileName,
      text: () => (document.isClosed ? undefined : document.getText()),
      post: (m) => void panel.webview.postMessage(m),
      reveal: (range) => revealInEditor(document, range, undefined),
      save: (format, data) => saveExport(document, format, data),
      rules: () => vscode.workspace.getConfiguration('acrotopo', document.uri).get<Record<string, SeveritySetting>>('rules'),
      log: (m) => console.warn(m),
      build: async (view, expand) => {
        const lc = languageClient;
        if (!lc || lc.state !== State.Running || document.isClosed) return undefined;
        const params: DiagramParams = { uri: key, view, expand };
        const r = await lc.sendRequest<DiagramResult>(DIAGRAM_METHOD, params);
        // null: the server does not have the document; another version: it is behind (never expected,
        // requests follow the changes in order) — either way the in-process build answers.
        return r && r.version === document.version ? r : undefined;
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    state,
  );
  const entry: Panel = { panel, session, document };
  panels.set(key, entry);
  setHtml(context, panel, fileName);
  disposables.push(
    panel.webview.onDidReceiveMessage((m: unknown) => {
      session.receive(m).catch((e: unknown) => void vscode.window.showErrorMessage(`Acrotopo preview: ${e instanceof Error ? e.message : String(e)}`));
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() === key) session.documentChanged();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('acrotopo.rules', document.uri)) session.documentChanged();
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.uri.toString() !== key) return;
      session.cursorMoved(document.offsetAt(e.selections[0].active));
    }),
    panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) session.hidden();
      void vscode.commands.executeCommand('setContext', 'acrotopo.previewFocused', e.webviewPanel.active);
    }),
  );
  panel.onDidDispose(() => {
    session.dispose();
    for (const d of disposables) d.dispose();
    if (panels.get(key)?.panel === panel) panels.delete(key);
    void vscode.commands.executeCommand('setContext', 'acrotopo.previewFocused', false);
  });
  return entry;
}

function targetDocument(uri?: vscode.Uri): vscode.TextDocument | undefined {
  if (uri instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open;
  }
  const active = vscode.window.activeTextEditor?.document;
  if (isAcrotopo(active)) return active;
  // the preview itself is focused: the document it shows
  for (const p of panels.values()) if (p.panel.active) return p.document;
  return undefined;
}

async function openPreview(context: vscode.ExtensionContext, toSide: boolean, uri?: vscode.Uri): Promise<void> {
  let document = targetDocument(uri);
  if (!document && uri instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(uri);
  if (!document) {
    void vscode.window.showInformationMessage('Open an *.acrotopo.yaml file to preview its diagram.');
    return;
  }
  const existing = panels.get(document.uri.toString());
  const column = toSide ? vscode.ViewColumn.Beside : vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active;
  if (existing) {
    existing.panel.reveal(column, toSide);
    return;
  }
  const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `Preview ${baseName(document.uri)}`, { viewColumn: column, preserveFocus: toSide }, webviewOptions(context));
  attach(context, panel, document);
}

async function exportDiagram(context: vscode.ExtensionContext, format: ExportFormat, uri?: vscode.Uri): Promise<void> {
  const doc = targetDocument(uri);
  let entry = doc ? panels.get(doc.uri.toString()) : undefined;
  if (!entry) {
    // the picture is laid out in the webview: open it beside; the export runs once it has drawn
    await openPreview(context, true, doc?.uri ?? uri);
    entry = doc ? panels.get(doc.uri.toString()) : undefined;
    if (!entry) return;
  }
  entry.session.requestExport(format);
}

/**
 * Registers the preview commands and the panel serializer. Diagram models are asked from `client`
 * (built in-process when it is not running).
 */
export function registerPreview(context: vscode.ExtensionContext, client?: LanguageClient): void {
  languageClient = client;
  context.subscriptions.push(
    vscode.commands.registerCommand('acrotopo.openPreview', (uri?: vscode.Uri) => openPreview(context, false, uri)),
    vscode.commands.registerCommand('acrotopo.openPreviewToSide', (uri?: vscode.Uri) => openPreview(context, true, uri)),
    vscode.commands.registerCommand('acrotopo.exportSvg', (uri?: vscode.Uri) => exportDiagram(context, 'svg', uri)),
    vscode.commands.registerCommand('acrotopo.exportPng', (uri?: vscode.Uri) => exportDiagram(context, 'png', uri)),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown) {
        const state = parseState(raw);
        panel.webview.options = webviewOptions(context);
        let document: vscode.TextDocument | undefined;
        if (state) {
          try {
            document = await vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri, true));
          } catch {
            document = undefined;
          }
        }
        if (!document) {
          panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>The previewed file is no longer available.</p></body></html>`;
          return;
        }
        if (panels.has(document.uri.toString())) {
          panel.dispose();
          return;
        }
        attach(context, panel, document, state);
      },
    }),
  );
}
