// A TEST-ONLY language-server entry point (bundled by survival.test.ts into a temporary file, never
// shipped): the real server, started exactly as server/src/main.ts starts it, except that one real
// rule (unencrypted-port) throws when the document contains the comment `# acrotopo-test-throw` (the
// tests add it with a change the checker cannot skip: a comment alone is reused, engine/src/reuse.ts).
// This is how the survival tests put an exception inside a rule of a running server without a back
// door in the production bundle.
import { RULE_BY_ID } from '@acrotopo/engine';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../src/server';

// (the same two constants are in survival.test.ts, which must not import this file: it starts a server)
const THROWING_RULE = 'unencrypted-port';
const THROW_MARKER = '# acrotopo-test-throw';

const rule = RULE_BY_ID.get(THROWING_RULE);
if (!rule) throw new Error(`no rule ${THROWING_RULE}`);
const run = rule.run.bind(rule);
rule.run = (ctx: Parameters<typeof run>[0]) => {
  if (ctx.file.text.includes(THROW_MARKER)) throw new TypeError('injected failure for the survival test');
  run(ctx);
};

startServer(createConnection(ProposedFeatures.all));
