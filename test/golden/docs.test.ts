// docs/rules.md and docs/facts.md are generated (scripts/gen-docs.ts): these tests fail when either is
// out of date with the engine's rule metadata, the rule examples or engine/src/facts.ts, and when a
// rule has no example that shows it. Fix: `npm run docs`, then review the diff.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { check, RULES } from '@acrotopo/engine';
import { EXAMPLES_DIR, exampleFor, FACTS_MD, generateFactsDoc, generateRulesDoc, RULES_MD } from '../../scripts/gen-docs';

describe('generated docs', () => {
  it('docs/rules.md is up to date (npm run docs)', () => {
    assert.equal(readFileSync(RULES_MD, 'utf8'), generateRulesDoc(), 'docs/rules.md is out of date: run `npm run docs`');
  });

  it('docs/facts.md is up to date (npm run docs)', () => {
    assert.equal(readFileSync(FACTS_MD, 'utf8'), generateFactsDoc(), 'docs/facts.md is out of date: run `npm run docs`');
  });

  it('docs/rules.md has one section, anchored by its id, per registered rule', () => {
    const md = readFileSync(RULES_MD, 'utf8');
    for (const r of RULES) {
      assert.ok(md.includes(`\n## ${r.id}\n`), `no section for ${r.id}`);
      assert.ok(md.includes(`](#${r.id})`), `no index link for ${r.id}`);
    }
  });

  for (const r of RULES) {
    it(`the example of ${r.id} makes the engine report ${r.id}`, () => {
      const text = exampleFor(r.id);
      assert.ok(text !== undefined, `add docs/rule-examples/${r.id}.yaml`);
      const rules = check(text, { fileName: `${r.id}.yaml` }).diagnostics.map((d) => d.rule);
      assert.ok(rules.includes(r.id), `docs/rule-examples/${r.id}.yaml reports ${rules.join(', ') || 'nothing'}`);
    });
  }

  it('every rule example belongs to a registered rule', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const orphans = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml') && !ids.has(f.replace(/\.yaml$/, '')));
    assert.deepEqual(orphans, []);
  });
});
