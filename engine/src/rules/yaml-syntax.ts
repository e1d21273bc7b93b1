import { defineRule } from '../rule';

export default defineRule({
  id: 'yaml-syntax',
  defaultSeverity: 'error',
  title: 'The file is not valid YAML (or holds several documents, or repeats a key)',
  description:
    'An acrotopo file is one YAML document. Syntax errors, a second document (`---`), duplicate keys in a ' +
    'mapping, tabs used for indentation, and alias expansions beyond the safety limit are reported here, at the ' +
    'place the parser stopped. The rest of the file is still checked where the parser could recover.',
  howToFix: 'Correct the YAML at the marked place. Duplicate keys: keep one. Several documents: split them into several files.',
  catalogue: [],
  run(ctx) {
    let n = 0;
    for (const p of ctx.syntax) {
      if (n++ >= 100) break; // binary junk can produce thousands; the first hundred say enough
      ctx.report({ span: p.span, message: p.message, severity: p.severity });
    }
  },
});
