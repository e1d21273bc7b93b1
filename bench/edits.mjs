// Plans the edits the LSP benchmark types into a generated deployment (bench/generate.mjs style).
// Every edit replaces text inside ONE line (line count never changes) and every change is followed
// by the edit that reverts it, so the document stays close to the original and positions stay valid.
// Edits are spread over the top (title, dns), the middle (machines) and the end (installation,
// connections) and most of them change the diagnostics.

/**
 * @typedef {{ label: string, line: number, character: number, endCharacter: number, newText: string, back?: boolean }} Edit
 * (`back`: the edit that reverts the one before it, so the text is the one of two edits ago)
 */

/** Finds the lines matching re, returning { line, match } for each. */
function findLines(lines, re, from = 0, to = lines.length) {
  const out = [];
  for (let i = from; i < to; i++) {
    const m = re.exec(lines[i]);
    if (m) out.push({ line: i, match: m });
  }
  return out;
}

/** The candidate nearest to the fraction f (0…1) of the candidates. */
function near(cands, f) {
  if (cands.length === 0) return undefined;
  return cands[Math.min(cands.length - 1, Math.max(0, Math.floor(f * cands.length)))];
}

/**
 * @param {string} text the document
 * @param {number} count how many edits (pairs of change + revert; an odd count ends on a change)
 * @returns {Edit[]}
 */
export function planEdits(text, count) {
  const lines = text.split('\n');
  const machinesStart = lines.findIndex((l) => l === 'machines:');
  const installStart = lines.findIndex((l) => l === 'installation:');
  const mid0 = machinesStart >= 0 ? machinesStart : 0;
  const mid1 = installStart >= 0 ? installStart : lines.length;

  const title = findLines(lines, /^title: (.*)$/)[0];
  const dns = findLines(lines, /^ {2}dns: (true)$/)[0];
  // Agents that name their subnet: moving their address to another subnet gives address-outside-subnet.
  const addressWithSubnet = [];
  for (const a of findLines(lines, /^ {4}address: (10\.\d+)\.(\d+)\.(\d+)$/, mid0, mid1)) {
    if (/^ {4}subnet: /.test(lines[a.line + 1] ?? '')) addressWithSubnet.push(a);
  }
  const component = findLines(lines, /^ {4}components: \[(agent-for-windows|agent-for-linux)/, mid0, mid1);
  const machineComment = findLines(lines, /^ {2}[a-z][\w-]*:( {2}# .*)$/, mid0, mid1);
  const installItem = findLines(lines, /^ {4}- ([\w-]+)$/, mid1);
  const connectionPort = findLines(lines, /^ {2}- \{ from: [\w-]+, to: [\w-]+, port: (tcp\/9876) \}$/, mid1);

  /** @type {((round: number) => [Edit, Edit] | undefined)[]} */
  const templates = [
    // top: retitle (no diagnostic changes; cost of a no-op re-check)
    () => {
      if (!title) return undefined;
      const start = lines[title.line].length;
      return [
        { label: 'top: edit title', line: title.line, character: start, endCharacter: start, newText: ' (draft)' },
        { label: 'top: revert title', line: title.line, character: start, endCharacter: start + ' (draft)'.length, newText: '' },
      ];
    },
    // middle: move an agent's address into another subnet (address-outside-subnet appears)
    (round) => {
      const a = near(addressWithSubnet, 0.35 + 0.1 * (round % 4));
      if (!a) return undefined;
      const col = lines[a.line].indexOf(a.match[1]);
      const old = `${a.match[1]}.${a.match[2]}`;
      const moved = `${a.match[1]}.${(Number(a.match[2]) + 1) % 200}`;
      return [
        { label: 'middle: move address to another subnet', line: a.line, character: col, endCharacter: col + old.length, newText: moved },
        { label: 'middle: restore address', line: a.line, character: col, endCharacter: col + moved.length, newText: old },
      ];
    },
    // end: installation target renamed to an unknown machine (unknown-reference)
    (round) => {
      const it = near(installItem, 0.2 + 0.2 * (round % 4));
      if (!it) return undefined;
      const col = lines[it.line].length;
      return [
        { label: 'end: unknown installation target', line: it.line, character: col, endCharacter: col, newText: 'x' },
        { label: 'end: fix installation target', line: it.line, character: col, endCharacter: col + 1, newText: '' },
      ];
    },
    // middle: break a component name (schema error, the machine loses its agent flows)
    (round) => {
      const c = near(component, 0.5 + 0.1 * (round % 4));
      if (!c) return undefined;
      const col = lines[c.line].indexOf(c.match[1]) + c.match[1].length - 1;
      const last = c.match[1].slice(-1);
      return [
        { label: 'middle: misspell component', line: c.line, character: col, endCharacter: col + 1, newText: 'z' },
        { label: 'middle: fix component', line: c.line, character: col, endCharacter: col + 1, newText: last },
      ];
    },
    // top: dns off (every registration by name now needs a hosts entry: many diagnostics change)
    () => {
      if (!dns) return undefined;
      const col = lines[dns.line].indexOf('true');
      return [
        { label: 'top: dns: false', line: dns.line, character: col, endCharacter: col + 4, newText: 'false' },
        { label: 'top: dns: true', line: dns.line, character: col, endCharacter: col + 5, newText: 'true' },
      ];
    },
    // end: a stated connection on an undocumented port
    (round) => {
      const c = near(connectionPort, 0.3 + 0.2 * (round % 3));
      if (!c) return undefined;
      const col = lines[c.line].indexOf('tcp/9876') + 4;
      return [
        { label: 'end: stated port 9876 → 3389', line: c.line, character: col, endCharacter: col + 4, newText: '3389' },
        { label: 'end: stated port back to 9876', line: c.line, character: col, endCharacter: col + 4, newText: '9876' },
      ];
    },
    // middle: typing in a comment (no diagnostic change)
    (round) => {
      const m = near(machineComment, 0.25 + 0.15 * (round % 4));
      if (!m) return undefined;
      const col = lines[m.line].length;
      return [
        { label: 'middle: type in a comment', line: m.line, character: col, endCharacter: col, newText: ' (todo)' },
        { label: 'middle: undo comment', line: m.line, character: col, endCharacter: col + ' (todo)'.length, newText: '' },
      ];
    },
  ];

  /** @type {Edit[]} */
  const edits = [];
  for (let round = 0; edits.length < count && round < 1000; round++) {
    let produced = 0;
    for (const t of templates) {
      if (edits.length >= count) break;
      const pair = t(round);
      if (!pair) continue;
      produced++;
      edits.push(pair[0]);
      if (edits.length < count) edits.push({ ...pair[1], back: true });
    }
    if (produced === 0) break;
  }
  return edits;
}

/** Applies a single-line edit to the lines array (mutates it). */
export function applyEdit(lines, e) {
  const l = lines[e.line];
  lines[e.line] = l.slice(0, e.character) + e.newText + l.slice(e.endCharacter);
}

/** What the typing scenario types, keystroke by keystroke, over a firewall's allow entry. */
export const TYPED_ENTRY = '{ from: hq, to: site-001, port: tcp/9877 }';

/**
 * The typing scenario: an allow entry of a firewall (SSH installations to a site, when there is one) is cleared to `- ` and a new one is
 * typed over it one character at a time (`planTyping(text, n)`: the clearing edit and n − 1
 * keystrokes). The text is broken (an unclosed flow mapping) from the `{` until the `}`, as when a user
 * types it; every keystroke makes a text not seen before. Line count never changes.
 * @returns {Edit[]}
 */
export function planTyping(text, count) {
  const lines = text.split('\n');
  // (one that lets few flows through, so that clearing it changes little: SSH installations to one site)
  let line = lines.findIndex((l) => /^ {8}- \{ from: ams01, to: site-\d+, port: tcp\/22 \}\s*$/.test(l));
  if (line < 0) line = lines.findIndex((l) => /^ {8}- \{ from: .*\}\s*$/.test(l));
  if (line < 0) return [];
  const start = lines[line].indexOf('- ') + 2;
  const out = [{ label: 'typing: clear an allow entry', line, character: start, endCharacter: lines[line].length, newText: '' }];
  for (let k = 0; k < TYPED_ENTRY.length && out.length < count; k++) {
    out.push({ label: `typing: ${JSON.stringify(TYPED_ENTRY[k])}`, line, character: start + k, endCharacter: start + k, newText: TYPED_ENTRY[k] });
  }
  return out;
}

/** The machine entry the second typing scenario types (flow style: one line), given an address in the subnet it goes in. */
export function typedMachine(address) {
  return `  ws-typed: { os: windows, address: ${address}, components: [agent-for-windows] }`;
}

/**
 * The second typing scenario: a new machine entry. The comment line that heads the machines of a subnet
 * near the middle of `machines:` (`  # --- site-019 (10.20.19.0/24): 226 machines`) is cleared, and
 * `typedMachine(address)` typed on it one character at a time, with an address in that subnet
 * (`planTypingMachine(text, n)`: the clearing edit and n − 1 keystrokes). Until its `:` the name is a line
 * that is not a key yet, and from the `{` until the `}` the entry has a syntax problem; the first letter
 * adds a machine entry. Line count never changes.
 * @returns {Edit[]}
 */
export function planTypingMachine(text, count) {
  const lines = text.split('\n');
  const machinesStart = lines.indexOf('machines:');
  if (machinesStart < 0) return [];
  let end = lines.findIndex((l, i) => i > machinesStart && /^\S/.test(l) && !l.startsWith('#'));
  if (end < 0) end = lines.length;
  const heads = findLines(lines, /^ {2}# --- [\w-]+ \((\d+\.\d+\.\d+)\.0\/24\)/, machinesStart + 1, end);
  const head = near(heads, 0.5);
  if (!head) return [];
  const entry = typedMachine(`${head.match[1]}.250`);
  const line = head.line;
  const out = [{ label: 'typing a machine: clear a comment line', line, character: 0, endCharacter: lines[line].length, newText: '' }];
  for (let k = 0; k < entry.length && out.length < count; k++) {
    out.push({ label: `typing a machine: ${JSON.stringify(entry[k])}`, line, character: k, endCharacter: k, newText: entry[k] });
  }
  return out;
}

/** At least as many edits as planTypingMachine makes for a whole entry (the clearing edit and one per character): its `count` for all of them. */
export const TYPED_MACHINE_EDITS = 1 + typedMachine('255.255.255.250').length;
