// Client settings (`acrotopo.*`), pulled with workspace/configuration when the client supports it,
// otherwise taken from workspace/didChangeConfiguration.
import type { CheckOptions, SeveritySetting } from '@acrotopo/engine';

export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface Settings {
  /** rule id → severity, passed to the engine as CheckOptions.rules */
  rules: Record<string, SeveritySetting>;
  trace: { server: TraceSetting };
  validate: { debounceMs: number };
}

export const DEFAULT_DEBOUNCE_MS = 75;
const MAX_DEBOUNCE_MS = 10_000;
const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

export function defaultSettings(): Settings {
  return { rules: {}, trace: { server: 'off' }, validate: { debounceMs: DEFAULT_DEBOUNCE_MS } };
}

function obj(x: unknown): Record<string, unknown> | undefined {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** Reads whatever the client sent, keeping only well-typed values. */
export function normalizeSettings(raw: unknown): Settings {
  const s = defaultSettings();
  const r = obj(raw);
  if (!r) return s;
  const rules = obj(r.rules);
  if (rules) {
    for (const [k, v] of Object.entries(rules)) {
      if (typeof v === 'string' && SEVERITIES.has(v)) s.rules[k] = v as SeveritySetting;
    }
  }
  const trace = obj(r.trace);
  const ts = trace?.server ?? r['trace.server'];
  if (ts === 'off' || ts === 'messages' || ts === 'verbose') s.trace.server = ts;
  const validate = obj(r.validate);
  const d = validate?.debounceMs ?? r['validate.debounceMs'];
  if (typeof d === 'number' && Number.isFinite(d) && d >= 0) s.validate.debounceMs = Math.min(Math.round(d), MAX_DEBOUNCE_MS);
  return s;
}

export function checkOptions(s: Settings): CheckOptions {
  return { rules: { ...s.rules } };
}

/** What the store needs from the connection (workspace/configuration). */
export interface ConfigurationSource {
  getConfiguration(item: { section: string; scopeUri?: string }): Promise<unknown>;
}

/**
 * The settings of the session: global ones (debounce, trace) and per-document ones (`acrotopo.rules`
 * is resource-scoped), pulled from the client when it supports workspace/configuration, else pushed.
 * A client that does not answer within `waitMs` gets the defaults, never a hung validation.
 */
export class SettingsStore {
  global: Settings = defaultSettings();
  /** the client answers workspace/configuration */
  canPull = false;
  private readonly perDocument = new Map<string, Promise<Settings>>();
  private readonly lastKnown = new Map<string, Settings>();

  constructor(
    private readonly source: ConfigurationSource,
    private readonly onError: (message: string, e: unknown) => void,
    private readonly waitMs = 3000,
  ) {}

  private withTimeout<T>(p: Promise<T>, fallback: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      const timer = setTimeout(() => resolve(fallback()), this.waitMs);
      timer.unref?.();
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          this.onError('could not read the acrotopo settings', e);
          resolve(fallback());
        },
      );
    });
  }

  /** Pulls the global settings again and forgets every document's. */
  async refresh(): Promise<void> {
    this.perDocument.clear();
    if (!this.canPull) return;
    const raw = await this.withTimeout(this.source.getConfiguration({ section: 'acrotopo' }), () => undefined);
    if (raw !== undefined) this.global = normalizeSettings(raw);
  }

  /** Settings pushed by a client that cannot be asked (workspace/didChangeConfiguration). */
  push(raw: unknown): void {
    this.perDocument.clear();
    this.lastKnown.clear();
    if (raw !== undefined) this.global = normalizeSettings(raw);
  }

  /** The settings of one document. */
  forDocument(uri: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.global);
    let p = this.perDocument.get(uri);
    if (!p) {
      p = this.withTimeout(
        this.source.getConfiguration({ scopeUri: uri, section: 'acrotopo' }).then((raw) => {
          const s = raw === null || raw === undefined ? this.global : normalizeSettings(raw);
          this.lastKnown.set(uri, s);
          return s;
        }),
        () => this.global,
      );
      this.perDocument.set(uri, p);
    }
    return p;
  }

  /** The last settings known for a document, without asking (for requests that must answer now). */
  known(uri: string): Settings {
    return this.lastKnown.get(uri) ?? this.global;
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
    this.lastKnown.delete(uri);
  }
}
