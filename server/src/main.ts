// Entry point of the language server. The transport comes from the command line: `--stdio`,
// `--node-ipc` (how the VS Code client starts it) or `--socket=PORT`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

process.on('uncaughtException', (e) => {
  // never die on a stray error; the message goes to stderr, which clients show in their log
  process.stderr.write(`acrotopo-language-server: uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`acrotopo-language-server: unhandled rejection ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
});

startServer(createConnection(ProposedFeatures.all));
