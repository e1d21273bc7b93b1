// Small helpers shared by rule files (wording of flows, machine lookups).
import type { Flow } from '../types';

/** `ams01 → fs01 on tcp/25001 "Sending installation parameters" (RI-3)` */
export function describeFlow(f: Flow): string {
  const purpose = f.kind === 'stated' && !f.catalogue ? 'stated connection' : `"${f.purpose}"`;
  const cat = f.catalogue ? ` (${f.catalogue})` : '';
  return `${f.initiator} → ${f.destination} on ${f.portLabel} ${purpose}${cat}`;
}
