// The extension side of one preview panel, without any `vscode` import so it is unit-tested as plain
// code: it gets diagram models for the webview — from the language server (`host.build`, the
// `acrotopo/diagram` request: the server already holds this version's analysis, and the extension host
// is never blocked by the engine) or, when the server is not running, in-process (check → previewBuild)
// —, keeps the last good picture when the YAML does not parse, and routes the webview's messages
// (reveal, view switch, group expansion, exports). client/src/preview.ts binds it to a real WebviewPanel.
import { check, previewBuild } from '@acrotopo/engine';
import type { CheckOptions, DiagramView, PreviewBuild, Range, SeveritySetting } from '@acrotopo/engine';
import { parseFromWebview } from '../../webview/src/protocol';
import type { ExportFormat, FromWebview, PreviewState, ToWebview } from '../../webview/src/protocol';

export interface PreviewHost {
  /** current text of the previewed document (undefined: closed / unavailable) */
  text(): string | undefined;
  uri: string;
  fileName: string;
  post(message: ToWebview): void;
  reveal(range: Range): void;
  /** asks where to save and writes the exported data */
  save(format: ExportFormat, data: string): Promise<void> | void;
  /** severities from the editor settings */
  rules?(): Record<string, SeveritySetting> | undefined;
  /** persist panel state (the webview also keeps it, for the serializer) */
  stateChanged?(state: PreviewState): void;
  log?(message: string): void;
  /**
   * The build from the language server for the document's current version; undefined (or a rejection)
   * when the server cannot answer, and the session then builds in-process.
   */
  build?(view: DiagramView, expand: string[]): Promise<PreviewBuild | undefined>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const UPDATE_DEBOUNCE_MS = 250;

export class PreviewSession {
  view: DiagramView;
  readonly expanded = new Set<string>();
  private seq = 0;
  private ready = false;
  private timer: unknown;
  private hadGood = false;
  private disposed = false;
  private pendingExport: ExportFormat | undefined;
  /** how long the last check + buildDiagram took: the debounce grows with it on large files */
  private lastBuildMs = 0;

  constructor(private readonly host: PreviewHost, state?: Partial<PreviewState>) {
    this.view = state?.view ?? 'all';
    for (const g of state?.expanded ?? []) this.expanded.add(g);
  }

  get state(): PreviewState {
    return { uri: this.host.uri, view: this.view, expanded: [...this.expanded] };
  }

  /** Debounce of the next rebuild: 250 ms, or twice the last build time on large files (max 2 s). */
  get debounceMs(): number {
    return Math.max(UPDATE_DEBOUNCE_MS, Math.min(2000, Math.round(this.lastBuildMs * 2)));
  }

  /** The document changed: redraw after the debounce (nothing is built while the panel is hidden). */
  documentChanged(): void {
    if (this.disposed || !this.ready) return;
    if (this.timer !== undefined) this.host.clearTimeout(this.timer);
    this.timer = this.host.setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, this.debounceMs);
  }

  /**
   * The panel was hidden: its webview is torn down, so nothing is built or posted until the new webview
   * says `ready` (which rebuilds from the current text).
   */
  hidden(): void {
    this.ready = false;
    if (this.timer !== undefined) this.host.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The editor's cursor moved to `offset` in the previewed document. */
  cursorMoved(offset: number): void {
    if (this.ready && !this.disposed) this.host.post({ type: 'cursor', offset });
  }

  /** Asks the webview for the picture (it holds the layout); waits for the webview to be ready. */
  requestExport(format: ExportFormat): void {
    if (this.disposed) return;
    if (!this.ready) this.pendingExport = format;
    else this.host.post({ type: 'requestExport', format });
  }

  /**
   * Builds and posts the model now (or the reason the last good one is kept). Through the language
   * server when the host offers it (the returned promise settles when posted; an answer that a newer
   * update overtook is dropped), else synchronously in-process.
   */
  update(): Promise<void> | void {
    if (this.disposed || !this.ready) return;
    const seq = ++this.seq;
    const remote = this.host.build;
    if (!remote) return this.updateLocally(seq);
    const t0 = Date.now();
    return remote
      .call(this.host, this.view, [...this.expanded])
      .then(
        (build) => {
          if (seq !== this.seq || this.disposed || !this.ready) return; // overtaken
          if (!build) return this.updateLocally(seq);
          this.lastBuildMs = Date.now() - t0;
          this.post(seq, build);
        },
        (e: unknown) => {
          this.host.log?.(`preview: the language server did not answer (${e instanceof Error ? e.message : String(e)}); building in-process`);
          if (seq === this.seq && !this.disposed && this.ready) this.updateLocally(seq);
        },
      )
      .catch((e: unknown) => this.host.log?.(`preview: ${e instanceof Error ? e.message : String(e)}`));
  }

  private updateLocally(seq: number): void {
    const text = this.host.text();
    if (text === undefined) return;
    try {
      const t0 = Date.now();
      const options: CheckOptions = { fileName: this.host.fileName, rules: this.host.rules?.() };
      const build = previewBuild(text, check(text, options), this.view, this.expanded, options);
      this.lastBuildMs = Date.now() - t0;
      this.post(seq, build);
    } catch (e) {
      this.host.log?.(`preview: ${e instanceof Error ? e.message : String(e)}`);
      this.host.post({ type: 'stale', seq, reason: `the diagram could not be built: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private post(seq: number, build: PreviewBuild): void {
    if (build.kind === 'fatal') {
      this.host.post({
        type: 'stale',
        seq,
        line: build.line,
        reason: `line ${build.line + 1}: ${build.message}${this.hadGood ? ' — showing the last diagram that parsed' : ''}`,
      });
      return;
    }
    this.hadGood = true;
    this.host.post({ type: 'model', seq, model: build.model, uri: this.host.uri, fileName: this.host.fileName, expanded: [...this.expanded] });
  }

  /** Handles one raw message from the webview. Returns the parsed message (undefined when ignored). */
  async receive(raw: unknown): Promise<FromWebview | undefined> {
    const msg = parseFromWebview(raw);
    if (!msg || this.disposed) {
      if (!msg) this.host.log?.('preview: ignored a malformed message from the webview');
      return undefined;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.update();
        if (this.pendingExport) {
          this.host.post({ type: 'requestExport', format: this.pendingExport });
          this.pendingExport = undefined;
        }
        break;
      case 'reveal':
        this.host.reveal(msg.range);
        break;
      case 'setView':
        if (msg.view !== this.view) {
          this.view = msg.view;
          this.host.stateChanged?.(this.state);
          await this.update();
        }
        break;
      case 'expand':
        if (!this.expanded.has(msg.group)) {
          this.expanded.add(msg.group);
          this.host.stateChanged?.(this.state);
          await this.update();
        }
        break;
      case 'collapseAll':
        if (this.expanded.size > 0) {
          this.expanded.clear();
          this.host.stateChanged?.(this.state);
          await this.update();
        }
        break;
      case 'exported':
        await this.host.save(msg.format, msg.data);
        break;
      case 'error':
        this.host.log?.(`preview webview: ${msg.message}`);
        break;
    }
    return msg;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.host.clearTimeout(this.timer);
  }
}
