import { defineRule } from '../rule';

export default defineRule({
  id: 'schema',
  defaultSeverity: 'error',
  title: 'The JSON Schema rejects a node (unknown key, wrong type, value not allowed)',
  description:
    'Every file is validated against `schemas/acrotopo.schema.json` (format v1). Unknown keys are reported on ' +
    'the key, wrong values on the value, a missing required key on its parent. The same schema gives the Red Hat ' +
    'YAML extension validation and hover when pointed at it.',
  howToFix: 'Use the key or value the message names. A misspelled key or value gets a *did you mean* quick fix.',
  catalogue: [],
  run(ctx) {
    for (const p of ctx.schema) {
      ctx.report({
        span: p.span,
        message: p.message,
        fixes: p.suggestions.map((s, i) => ({ title: s.title, edits: [{ span: s.span, newText: s.newText }], isPreferred: i === 0 })),
      });
    }
  },
});
