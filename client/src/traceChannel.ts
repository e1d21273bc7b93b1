// The LSP trace channel handed to vscode-languageclient. Since client 10, tracing only happens while the trace
// channel's log level is Trace, and a real LogOutputChannel's level can only be changed by the user in the Output
// view. This channel reports Trace exactly when `acrotopo.trace.server` is not "off", so the setting alone switches
// tracing on and off (as documented), and writes the trace into the Acrotopo log channel at info level.
import * as vscode from 'vscode';

export const TRACE_SETTING = 'acrotopo.trace.server';

export class SettingControlledTraceChannel implements vscode.LogOutputChannel {
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly listener: vscode.Disposable;
  private level: vscode.LogLevel;
  readonly onDidChangeLogLevel = this.changed.event;

  constructor(private readonly out: vscode.LogOutputChannel) {
    this.level = this.fromSetting();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(TRACE_SETTING)) return;
      const next = this.fromSetting();
      if (next !== this.level) {
        this.level = next;
        this.changed.fire(next);
      }
    });
  }

  private fromSetting(): vscode.LogLevel {
    const v = vscode.workspace.getConfiguration().get<string>(TRACE_SETTING, 'off');
    return v === 'messages' || v === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Off;
  }

  get name(): string { return this.out.name; }
  get logLevel(): vscode.LogLevel { return this.level; }

  trace(message: string, ...args: unknown[]): void { if (this.level === vscode.LogLevel.Trace) this.out.info(message, ...args); }
  debug(message: string, ...args: unknown[]): void { this.out.debug(message, ...args); }
  info(message: string, ...args: unknown[]): void { this.out.info(message, ...args); }
  warn(message: string, ...args: unknown[]): void { this.out.warn(message, ...args); }
  error(error: string | Error, ...args: unknown[]): void { this.out.error(error, ...args); }
  append(value: string): void { this.out.append(value); }
  appendLine(value: string): void { this.out.appendLine(value); }
  replace(value: string): void { this.out.replace(value); }
  clear(): void { this.out.clear(); }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.out.show(columnOrPreserveFocus);
    else this.out.show(columnOrPreserveFocus, preserveFocus);
  }
  hide(): void { this.out.hide(); }
  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
