// PLACEHOLDER — the preview helper replaces this file. The extension calls registerPreview(context).
import type { ExtensionContext } from 'vscode';

export function registerPreview(_context: ExtensionContext): void {}
