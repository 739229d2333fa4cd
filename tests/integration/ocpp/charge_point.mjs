// An independent OCPP charge point for the integration tests: npm ocpp-rpc's RPCClient in strict
// mode, which validates its own calls *and the central system's answers and calls* against the
// official schemas. Driven by JSON lines on stdin, reporting JSON lines on stdout:
//
//   {"op":"connect","endpoint":"ws://127.0.0.1:P/ocpp","identity":"CP001","password":"...",
//    "protocols":["ocpp1.6"]}                          -> {"event":"connected","protocol":"ocpp1.6"}
//   {"op":"call","ref":1,"action":"Heartbeat","payload":{}}
//                                                      -> {"event":"result","ref":1,"result":{...}}
//                                                      or {"event":"call_error","ref":1,"code":...}
//   {"op":"answer","action":"RemoteStartTransaction","result":{"status":"Accepted"}}
//      how to answer the central system's calls of that action (default: {"status":"Accepted"});
//      every such call is reported as {"event":"called","action":...,"payload":{...}}
//   {"op":"raw","text":"[2,\"x\"]"}  a frame sent as it is, on a plain WebSocket of its own
//      (opened by {"op":"raw_connect",...} with the same fields as connect); what comes back is
//      reported as {"event":"raw","text":...}
//   {"op":"close"}                                     -> {"event":"closed",...}
//
// Strict validation failures are reported as {"event":"strict_failure",...}: a test fails on any.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const { RPCClient } = require('ocpp-rpc');
const WebSocket = require('ws');

let client = null;
let raw = null;
const answers = new Map();

function out(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function basicAuth(identity, password) {
  return 'Basic ' + Buffer.from(`${identity}:${password}`).toString('base64');
}

async function connect(msg) {
  client = new RPCClient({
    endpoint: msg.endpoint,
    identity: msg.identity,
    password: msg.password,
    protocols: msg.protocols || ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: msg.callTimeoutMs || 10000,
  });
  client.on('strictValidationFailure', (e) => out({
    event: 'strict_failure', method: e.method, outbound: e.outbound, isCall: e.isCall,
    message: String(e.error && e.error.message),
  }));
  client.on('badMessage', (e) => out({ event: 'bad_message', message: String(e.error && e.error.message) }));
  client.on('close', (e) => out({ event: 'closed', code: e.code, reason: String(e.reason || '') }));
  client.handle(({ method, params }) => {
    out({ event: 'called', action: method, payload: params });
    return answers.has(method) ? answers.get(method) : { status: 'Accepted' };
  });
  try {
    const result = await client.connect();
    out({ event: 'connected', protocol: client.protocol, status: result && result.response && result.response.statusCode });
  } catch (e) {
    out({ event: 'connect_failed', message: String(e.message), status: e.statusCode || null });
  }
}

function rawConnect(msg) {
  const headers = msg.password ? { Authorization: basicAuth(msg.identity, msg.password) } : {};
  raw = new WebSocket(`${msg.endpoint}/${msg.identity}`, msg.protocols || ['ocpp1.6'], { headers });
  raw.on('open', () => out({ event: 'raw_connected', protocol: raw.protocol }));
  raw.on('message', (data) => out({ event: 'raw', text: data.toString() }));
  raw.on('unexpected-response', (req, res) => out({ event: 'raw_refused', status: res.statusCode }));
  raw.on('error', (e) => out({ event: 'raw_error', message: String(e.message) }));
  raw.on('close', (code, reason) => out({ event: 'raw_closed', code, reason: reason.toString() }));
}

async function call(msg) {
  try {
    const result = await client.call(msg.action, msg.payload);
    out({ event: 'result', ref: msg.ref, result });
  } catch (e) {
    out({ event: 'call_error', ref: msg.ref, code: e.rpcErrorCode || e.code || null, message: String(e.message) });
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    out({ event: 'error', message: 'not JSON: ' + line });
    return;
  }
  switch (msg.op) {
    case 'connect': connect(msg); break;
    case 'raw_connect': rawConnect(msg); break;
    case 'call': call(msg); break;
    case 'answer': answers.set(msg.action, msg.result); break;
    case 'raw': raw.send(msg.text); break;
    case 'close':
      if (client) client.close({ code: 1000, reason: 'test done' }).then(() => out({ event: 'close_done' }));
      if (raw) raw.close();
      break;
    default: out({ event: 'error', message: 'unknown op ' + msg.op });
  }
});
lines.on('close', () => process.exit(0));
