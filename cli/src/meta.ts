// Facts about the tool itself, read once from cli/package.json (bundled by esbuild).
import pkg from '../package.json';

export const TOOL_NAME = 'acrotopo';
export const VERSION: string = pkg.version;
export const HOMEPAGE: string = pkg.homepage;
/** Where the generated rule reference lives; each rule has an anchor equal to its id. */
export const RULES_DOC = `${HOMEPAGE}/blob/main/docs/rules.md`;

export function ruleHelpUri(rule: string): string {
  return `${RULES_DOC}#${rule}`;
}
