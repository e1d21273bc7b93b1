// Go to definition, find references, rename and document highlights for machine, subnet and zone
// names. Every occurrence comes from the engine's topology (names.ts).
import { INTERNET_ZONE } from '@acrotopo/engine';
import { DocumentHighlightKind, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { DocumentHighlight, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import { occurrenceAt, sameSymbol } from '../names';
import type { NameOccurrence } from '../names';

/** A valid machine / subnet name: a host name (letters, digits, `-`, `_`, `.`). */
export const NAME_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

function range(doc: TextDocument, o: NameOccurrence): Range {
  return { start: doc.positionAt(o.span.start), end: doc.positionAt(o.span.end) };
}

function at(doc: TextDocument, a: Analysis, position: Position): { occ: NameOccurrence; all: NameOccurrence[] } | undefined {
  const list = a.names();
  const occ = occurrenceAt(list, doc.offsetAt(position));
  if (!occ) return undefined;
  return { occ, all: list.filter((o) => sameSymbol(o, occ)) };
}

export function definition(doc: TextDocument, position: Position, a: Analysis): Location[] | null {
  const hit = at(doc, a, position);
  if (!hit) return null;
  const decl = hit.all.filter((o) => o.declaration);
  if (decl.length === 0) return null;
  return decl.map((o) => ({ uri: doc.uri, range: range(doc, o) }));
}

export function references(doc: TextDocument, position: Position, a: Analysis, includeDeclaration: boolean): Location[] | null {
  const hit = at(doc, a, position);
  if (!hit) return null;
  return hit.all.filter((o) => includeDeclaration || !o.declaration).map((o) => ({ uri: doc.uri, range: range(doc, o) }));
}

export function documentHighlights(doc: TextDocument, position: Position, a: Analysis): DocumentHighlight[] | null {
  const hit = at(doc, a, position);
  if (!hit) return null;
  return hit.all.map((o) => ({ range: range(doc, o), kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

export function prepareRename(doc: TextDocument, position: Position, a: Analysis): { range: Range; placeholder: string } | null {
  const hit = at(doc, a, position);
  if (!hit) return null;
  if (hit.occ.kind === 'zone' && hit.occ.name === INTERNET_ZONE) return null; // reserved
  return { range: range(doc, hit.occ), placeholder: hit.occ.name };
}

export function rename(doc: TextDocument, position: Position, newName: string, a: Analysis): WorkspaceEdit | null {
  const hit = at(doc, a, position);
  if (!hit) return null;
  const { occ, all } = hit;
  if (occ.kind === 'zone' && occ.name === INTERNET_ZONE) throw new ResponseError(LSPErrorCodes.RequestFailed, `'${INTERNET_ZONE}' is a reserved zone name and cannot be renamed`);
  const name = newName.trim();
  if (!NAME_RE.test(name)) throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid ${occ.kind === 'machine' ? 'machine' : 'subnet'} name (letters, digits, '-', '_' and '.')`);
  if (name === occ.name) return { changes: { [doc.uri]: [] } };
  const t = a.result.topology;
  const taken = occ.kind === 'machine' ? t.machines.has(name) : t.subnets.has(name) || name === INTERNET_ZONE;
  if (taken) throw new ResponseError(ErrorCodes.InvalidParams, `a ${occ.kind === 'machine' ? 'machine' : 'zone'} named '${name}' already exists`);
  const edits: TextEdit[] = all.map((o) => ({ range: range(doc, o), newText: name }));
  return { changes: { [doc.uri]: edits } };
}
