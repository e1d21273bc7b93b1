export const OUT_DIR: string;
export const DEFAULT_SEED: number;
export function prng(seed: number): () => number;
export interface DeploymentStats { machines: number; subnets: number; firewalls: number; installation: number; connections: number; lines: number; bytes: number }
export function generate(n: number, options?: { seed?: number }): { text: string; stats: DeploymentStats };
export function writeDeployment(n: number, options?: { seed?: number }): { file: string; stats: DeploymentStats };
