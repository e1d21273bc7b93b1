import fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
async function main() {
  const { YAMLSchemaService } = await import('yaml-language-server/out/src/languageservice/services/yamlSchemaService.js' as string);
  const { yamlDocumentsCache } = await import('yaml-language-server/out/src/languageservice/parser/yaml-documents.js' as string);
  const schema = JSON.parse(fs.readFileSync('schemas/acrotopo.schema.json', 'utf8'));
  const svc = new YAMLSchemaService(async (u: string) => { throw new Error(u); }, { resolveRelativePath: (r: string, b: string) => new URL(r, b).toString() });
  svc.registerExternalSchema('file:///acrotopo.schema.json', ['*.acrotopo.yaml'], schema);
  const doc = TextDocument.create('file:///x/a.acrotopo.yaml', 'yaml', 1, 'acrotopo: 1\nbogus: 2\n');
  const y = yamlDocumentsCache.getYamlDocument(doc, {}, true);
  try {
    const r = await svc.getSchemaForResource(doc.uri, y.documents[0]);
    console.log('resolved', !!r, r && r.errors, r && Object.keys(r.schema ?? {}));
  } catch (e) { console.log('ERR', e); }
}
main();
