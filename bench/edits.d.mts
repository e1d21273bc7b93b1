export interface Edit { label: string; line: number; character: number; endCharacter: number; newText: string; /** reverts the edit before it */ back?: boolean }
export function planEdits(text: string, count: number): Edit[];
export function applyEdit(lines: string[], e: Edit): void;
export const TYPED_ENTRY: string;
export function planTyping(text: string, count: number): Edit[];
export function typedMachine(address: string): string;
export function planTypingMachine(text: string, count: number): Edit[];
export const TYPED_MACHINE_EDITS: number;
