export interface Counts { passed: number; failed: number; skipped: number }
export function stripAnsi(s: string): string;
export function parseNodeCounts(raw: string): Counts | undefined;
export function parsePlainCounts(raw: string): Counts | undefined;
