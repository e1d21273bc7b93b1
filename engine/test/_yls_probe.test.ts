import fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
async function main() {
  const { getLanguageService } = await import('yaml-language-server');
  const schema = JSON.parse(fs.readFileSync('schemas/acrotopo.schema.json', 'utf8'));
  const ls: any = getLanguageService({
    schemaRequestService: async (uri: string) => { throw new Error('no ' + uri); },
    workspaceContext: { resolveRelativePath: (rel: string, res: string) => new URL(rel, res).toString() },
    telemetry: { send() {}, sendError: (n: string, e: unknown) => console.log('TELEMETRY', n, e), sendTrack() {} },
  } as any);
  ls.configure({ validate: true, hover: true, completion: true, schemas: [{ uri: 'file:///acrotopo.schema.json', fileMatch: [process.env.FM ?? '*.acrotopo.yaml'], schema }] });
  for (const text of [fs.readFileSync('/tmp/example.yaml', 'utf8'), 'acrotopo: 1\nbogus: 1\nmachines:\n  web01:\n    adress: 1.2.3.4\n    os: solaris\n  bad name:\n    os: linux\nnetwork:\n  subnets:\n    internet: 10.0.0.0/8\nproduct: 11.7\n']) {
    const doc = TextDocument.create('file:///x/a.acrotopo.yaml', 'yaml', 1, text);
    const diags = await ls.doValidation(doc, false);
    console.log(diags.map((d: any) => `${d.range.start.line}:${d.range.start.character} ${d.message}`));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
