// Starts a real `switchyard mock` and a real `switchyard serve` in front of it, each on port 0 (so
// test files run in parallel), and stops both again. Binary path from SWITCHYARD_BINARY.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const live = new Set();

// If the test process dies without running `after` hooks, do not leave servers behind.
process.on('exit', () => { for (const child of live) child.kill('SIGKILL'); });

function binary() {
  const bin = process.env.SWITCHYARD_BINARY;
  if (!bin) throw new Error('SWITCHYARD_BINARY is not set (CTest sets it to the built switchyard)');
  return bin;
}

// Spawns `switchyard ...args` and resolves with the port of the first stdout line matching `re`.
function startProcess(args, re) {
  const child = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const proc = { child, output: () => output, port: 0 };
  return new Promise((resolve, reject) => {
    const fail = (why) => { clearTimeout(timer); child.kill('SIGKILL'); reject(new Error(`switchyard ${args[0]}: ${why}\n--- output ---\n${output}`)); };
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const m = proc.port === 0 && output.match(re);
      if (m) { proc.port = Number(m[1]); clearTimeout(timer); resolve(proc); }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => { live.delete(child); if (proc.port === 0) fail(`exited (${code ?? signal}) before listening`); });
  });
}

function stopProcess(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.on('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

// mockYaml: the mock's config. gatewayYaml(mockBase): the gateway's config, given the mock's base
// URL (http://127.0.0.1:PORT). Returns { url, mockUrl, stop(), logs() }.
export async function startStack({ mockYaml, gatewayYaml }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const procs = [];
  const stack = {
    async stop() {
      await Promise.all(procs.map(stopProcess));
      rmSync(dir, { recursive: true, force: true });
    },
    logs: () => procs.map((p) => p.output()).join('\n'),
  };
  try {
    writeFileSync(join(dir, 'mock.yaml'), mockYaml);
    const mock = await startProcess(['mock', '--port', '0', '--config', join(dir, 'mock.yaml')],
      /mock listening on [^\s:]+:(\d+)/);
    procs.push(mock);
    stack.mockUrl = `http://127.0.0.1:${mock.port}`;
    writeFileSync(join(dir, 'gateway.yaml'), gatewayYaml(stack.mockUrl));
    const gateway = await startProcess(['serve', '--config', join(dir, 'gateway.yaml'), '--port', '0'],
      /switchyard listening on http:\/\/[^\s]+:(\d+)/);
    procs.push(gateway);
    stack.url = `http://127.0.0.1:${gateway.port}`;
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

// Sets one mock behaviour at runtime (PUT /mock/models/<key>); throws with the mock's message.
export async function putMockBehaviour(stack, key, behaviour) {
  const res = await fetch(`${stack.mockUrl}/mock/models/${encodeURIComponent(key)}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour),
  });
  if (!res.ok) throw new Error(`mock refused behaviour for ${key}: ${res.status} ${await res.text()}`);
}

// The body the mock last received for `model` (its /mock/stats), e.g. what a translation sent.
export async function mockLastBody(stack, model) {
  const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
  return stats.models[model].last_body;
}
