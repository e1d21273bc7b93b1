// A tiny XML well-formedness checker for the renderer's output (elements, attributes, entities,
// nesting). Returns the elements it saw so tests can look at names and attributes.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;

function decode(s: string, where: number): string {
  return s.replace(/&([^;&\s]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (ent === 'amp') return '&';
    if (ent === 'lt') return '<';
    if (ent === 'gt') return '>';
    if (ent === 'quot') return '"';
    if (ent === 'apos') return "'";
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ent);
    if (num) return String.fromCodePoint(num[1][0] === 'x' ? parseInt(num[1].slice(1), 16) : Number(num[1]));
    throw new Error(`unknown entity &${ent}; at ${where}`);
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    if (text.includes('>')) throw new Error(`raw > in text at ${i}`);
    if (text.trim()) {
      if (!stack.length) throw new Error(`text outside the root at ${i}`);
      stack[stack.length - 1].text += decode(text, i);
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new Error(`</${m[0]}> closes <${top?.name}> at ${i}`);
      i += 2 + m[0].length;
      while (src[i] === ' ') i++;
      if (src[i] !== '>') throw new Error(`bad end tag at ${i}`);
      i++;
      continue;
    }
    if (src.startsWith('<!--', i) || src.startsWith('<?', i) || src.startsWith('<!', i)) throw new Error(`unexpected markup declaration at ${i}`);
    const m = NAME.exec(src.slice(i + 1));
    if (!m) throw new Error(`bad start tag at ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, text: '', children: [] };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))![0].length;
      i += ws;
      if (src.startsWith('/>', i)) { i += 2; break; }
      if (src[i] === '>') { i++; stack.push(el); break; }
      if (!ws) throw new Error(`no space before attribute at ${i}`);
      const a = NAME.exec(src.slice(i));
      if (!a) throw new Error(`bad attribute at ${i}: ${src.slice(i, i + 20)}`);
      i += a[0].length;
      if (src[i] !== '=' || (src[i + 1] !== '"' && src[i + 1] !== "'")) throw new Error(`unquoted attribute ${a[0]} at ${i}`);
      const q = src[i + 1];
      const end = src.indexOf(q, i + 2);
      const raw = src.slice(i + 2, end);
      if (raw.includes('<')) throw new Error(`< in attribute ${a[0]} at ${i}`);
      if (a[0] in el.attrs) throw new Error(`duplicate attribute ${a[0]} at ${i}`);
      el.attrs[a[0]] = decode(raw, i);
      i = end + 1;
    }
    const parent = stack[stack.length - (src[i - 2] === '/' ? 1 : 2)];
    if (parent && parent !== el) parent.children.push(el);
    else if (!root) root = el;
    else if (root !== el) throw new Error(`second root element at ${i}`);
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function walk(e: XmlElement, f: (e: XmlElement) => void): void {
  f(e);
  for (const c of e.children) walk(c, f);
}
