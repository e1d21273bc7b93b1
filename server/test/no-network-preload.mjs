// Preloaded (`node --import`) into the language server or the CLI by the sandbox tests: every way
// out to the network — net/tls sockets, DNS, http(s), dgram, fetch, WebSocket — is replaced by a stub
// that reports the attempt on stderr (`NETWORK ACCESS: …`, which the tests look for) and throws.
// stdio is untouched: process.stdin/stdout are sockets on pipes, which are never `connect`ed.
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

function deny(what) {
  return function denied(...args) {
    const target = args.map((a) => (typeof a === 'object' && a !== null ? JSON.stringify(a, (k, v) => (typeof v === 'function' ? undefined : v))?.slice(0, 200) : String(a))).join(' ');
    process.stderr.write(`NETWORK ACCESS: ${what} ${target}\n`);
    throw new Error(`network access denied by the test sandbox: ${what}`);
  };
}

net.Socket.prototype.connect = deny('net.Socket.connect');
net.connect = deny('net.connect');
net.createConnection = deny('net.createConnection');
tls.connect = deny('tls.connect');
for (const m of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) {
  dns[m] = deny(`dns.${m}`);
  if (dns.promises[m]) dns.promises[m] = deny(`dns.promises.${m}`);
}
http.request = deny('http.request');
http.get = deny('http.get');
https.request = deny('https.request');
https.get = deny('https.get');
dgram.createSocket = deny('dgram.createSocket');
globalThis.fetch = deny('fetch');
if ('WebSocket' in globalThis) globalThis.WebSocket = deny('WebSocket');
process.stderr.write('network stubs installed\n');
