// Wiring only: LSP requests and notifications → the feature modules. `startServer` works on any
// connection (stdio, node IPC, or an in-process stream pair).
import type { PublishEncoder } from './publish-encoder';
import { CodeActionKind, DidChangeConfigurationNotification, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import type { CancellationToken, Connection, InitializeParams, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { overSizeLimit } from '@acrotopo/engine';
import { Analyzer } from './analysis';
import { createLog } from './log';
import type { Log } from './log';
import { setSchemaPath } from './schema';
import { checkOptions, SettingsStore } from './settings';
import { codeActions, FIX_ALL_KIND, resolveCodeAction } from './features/codeActions';
import { complete } from './features/completion';
import { Validator } from './features/diagnostics';
import { foldingRanges } from './features/folding';
import { hover } from './features/hover';
import { definition, documentHighlights, prepareRename, references, rename } from './features/navigation';
import { documentSymbols } from './features/symbols';
import { diagram, parseDiagramParams } from './features/diagram';
import { DIAGRAM_METHOD, SERVER_STATUS_METHOD } from './protocol';
import { FirstLargeCollection, serverStatus, tuneMarking } from './heap';
import { WarmUp } from './warm-up';
import type { DiagramResult } from './protocol';

export const SERVER_NAME = 'acrotopo-language-server';
export const SERVER_VERSION = '0.1.0';
const SETTINGS_WAIT_MS = 3000;

/**
 * Runs a handler so that a throw never reaches the connection as a crash: the error is logged and
 * the fallback returned. A ResponseError (a deliberate refusal, e.g. an invalid rename) is passed on.
 */
function guard<A extends unknown[], R>(log: Log, name: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log.error(`${name} failed`, e);
      return fallback;
    }
  };
}

/**
 * @param encoder the transport's encoder, when it is ours (stdio): publishes are prepared for it
 * @param afterPublish called after each publish of diagnostics has been written (main.ts: the heap's tuning)
 */
export function startServer(connection: Connection, encoder?: PublishEncoder, afterPublish?: () => void): void {
  const documents = new TextDocuments(TextDocument);
  let hasDynamicConfigRegistration = false;
  /** the client resolves code actions' edits (see CodeActionOptions.lazyEdits) */
  let lazyCodeActionEdits = false;
  let settingsLate = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const log: Log = createLog(connection, () => settings.global.trace.server === 'verbose');
  const settings = new SettingsStore(
    { getConfiguration: (item) => connection.workspace.getConfiguration(item) as Promise<unknown> },
    (message, e) => log.error(message, e),
    SETTINGS_WAIT_MS,
  );
  const analyzer = new Analyzer(
    (uri) => checkOptions(settings.known(uri)),
    (rule, e) => log.error(`the quick fixes of a ${rule} diagnostic could not be made (the diagnostic has none)`, e),
  );
  const warmUp = new WarmUp();
  // (once, after the first large document's idle work: heap.ts)
  const collection = new FirstLargeCollection();
  const validator = new Validator(
    connection,
    documents,
    analyzer,
    {
      debounceMs: () => settings.global.validate.debounceMs,
      ready: () => ready,
      checkOptions: async (uri) => checkOptions(await settings.forDocument(uri)),
      encoder,
      afterPublish,
      afterIdleWork: () => {
        const c = collection.maybeCollect();
        if (!c) return undefined;
        // (no marking in progress right after a full collection: the moment to change how V8 marks)
        const flag = tuneMarking();
        return `collected the heap once after a large open: ${c.heapBeforeMiB} → ${c.heapAfterMiB} MiB used, in ${c.ms} ms${flag ? `; ${flag} from now on` : ''}`;
      },
      warmUp,
    },
    log,
  );

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities ?? {};
    settings.canPull = !!caps.workspace?.configuration;
    lazyCodeActionEdits = !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
    hasDynamicConfigRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    // initial settings may come with the request: `{ settings: {…} }`, or `{ acrotopo: {…} }` as Helix
    // sends its `config` table
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; acrotopo?: unknown; schemaPath?: unknown; warmUp?: unknown };
    if (init.settings ?? init.acrotopo) settings.push(init.settings ?? init.acrotopo);
    if (typeof init.schemaPath === 'string') setSchemaPath(init.schemaPath);
    if (init.warmUp === false) warmUp.disable();
    // Validation waits for the client's settings, but never forever: a client that cannot be asked
    // is not asked, and one that does not answer in time gets the defaults (and a re-check later).
    if (!settings.canPull) resolveReady();
    else {
      setTimeout(() => {
        settingsLate = true;
        resolveReady();
      }, SETTINGS_WAIT_MS).unref?.();
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '/', '-', ',', '[', '{'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND], resolveProvider: true },
        documentSymbolProvider: { label: 'Acrotopo' },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        foldingRangeProvider: true,
        documentHighlightProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (hasDynamicConfigRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'acrotopo' }).catch((e: unknown) => log.error('could not register for configuration changes', e));
    }
    await settings.refresh();
    resolveReady();
    if (settingsLate) {
      analyzer.invalidateAll();
      validator.revalidateAll();
    }
  });

  connection.onDidChangeConfiguration(async (params) => {
    try {
      if (settings.canPull) await settings.refresh();
      else settings.push((params.settings as { acrotopo?: unknown } | undefined)?.acrotopo);
      analyzer.invalidateAll();
      validator.revalidateAll();
    } catch (e) {
      log.error('configuration change failed', e);
    }
  });

  // A document just opened is validated at once; edits are debounced.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => justOpened.add(e.document.uri));
  documents.onDidChangeContent((e) => {
    const immediate = justOpened.delete(e.document.uri);
    validator.schedule(e.document, immediate);
  });
  documents.onDidClose((e) => {
    validator.close(e.document.uri);
    settings.forget(e.document.uri);
  });

  // A document over the engine's size limit gets one diagnostic ("over the limit; not checked") and
  // nothing else: the features that parse the text themselves (symbols, folding, code actions) would
  // block the server for tens of seconds on 10 MiB of YAML (docs/reliability.md). Requests on it get
  // empty answers, as for a document the server does not know.
  const doc = (uri: string) => {
    const d = documents.get(uri);
    return d && !overSizeLimit(d.getText()) ? d : undefined;
  };
  const analysis = (d: TextDocument) => analyzer.analyze(d);
  const cancelled = (token: CancellationToken | undefined) => !!token?.isCancellationRequested;

  connection.onHover(guard(log, 'hover', null, (p, token) => {
    const d = doc(p.textDocument.uri);
    if (!d || cancelled(token)) return null;
    return hover(d, p.position, analysis(d));
  }));

  connection.onCompletion(guard(log, 'completion', { isIncomplete: false, items: [] }, (p, token) => {
    const d = doc(p.textDocument.uri);
    if (!d || cancelled(token)) return { isIncomplete: false, items: [] };
    return complete(d, p.position, analysis(d));
  }));

  connection.onCodeAction(guard(log, 'code actions', [], (p) => {
    const d = doc(p.textDocument.uri);
    if (!d) return [];
    return codeActions(d, p, validator.publishedFor(d.uri, d.version), () => analysis(d).yaml(), { lazyEdits: lazyCodeActionEdits });
  }));

  connection.onCodeActionResolve((a) => {
    try {
      const uri = (a.data as { uri?: unknown } | undefined)?.uri;
      const d = typeof uri === 'string' ? doc(uri) : undefined;
      return resolveCodeAction(a, d, d ? validator.publishedFor(d.uri, d.version) : undefined);
    } catch (e) {
      log.error('code action resolve failed', e);
      return a;
    }
  });

  connection.onDocumentSymbol(guard(log, 'document symbols', [], (p) => {
    const d = doc(p.textDocument.uri);
    return d ? documentSymbols(d, analysis(d).yaml()) : [];
  }));

  connection.onDefinition(guard(log, 'definition', null, (p) => {
    const d = doc(p.textDocument.uri);
    return d ? definition(d, p.position, analysis(d)) : null;
  }));

  connection.onReferences(guard(log, 'references', null, (p) => {
    const d = doc(p.textDocument.uri);
    return d ? references(d, p.position, analysis(d), p.context?.includeDeclaration !== false) : null;
  }));

  connection.onPrepareRename(guard(log, 'prepare rename', null, (p) => {
    const d = doc(p.textDocument.uri);
    return d ? prepareRename(d, p.position, analysis(d)) : null;
  }));

  connection.onRenameRequest(guard(log, 'rename', null, (p) => {
    const d = doc(p.textDocument.uri);
    return d ? rename(d, p.position, p.newName, analysis(d)) : null;
  }));

  connection.onFoldingRanges(guard(log, 'folding ranges', [], (p) => {
    const d = doc(p.textDocument.uri);
    return d ? foldingRanges(d, analysis(d).yaml()) : [];
  }));

  connection.onDocumentHighlight(guard(log, 'document highlights', null, (p) => {
    const d = doc(p.textDocument.uri);
    return d ? documentHighlights(d, p.position, analysis(d)) : null;
  }));

  // The preview's diagram (custom request, ./protocol.ts): built from this version's cached analysis.
  const diagramHandler = guard<[unknown, CancellationToken | undefined], DiagramResult>(log, 'diagram', null, (raw, token) => {
    const p = parseDiagramParams(raw);
    if (!p) throw new ResponseError(-32602, 'acrotopo/diagram: expected { uri, view, expand }');
    const d = doc(p.uri);
    if (!d || cancelled(token)) return null;
    return diagram(d, p, analysis(d));
  });
  connection.onRequest(DIAGRAM_METHOD, (raw: unknown, token: CancellationToken): unknown => diagramHandler(raw, token));
  connection.onRequest(SERVER_STATUS_METHOD, guard(log, 'server status', null, () => ({ ...serverStatus(), ...(collection.result ? { collectedAfterOpen: collection.result } : {}), warmUp: warmUp.status() })));

  connection.onShutdown(() => {
    for (const d of documents.all()) validator.cancel(d.uri);
  });

  documents.listen(connection);
  connection.listen();
}
