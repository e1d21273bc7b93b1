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
