// OpenAI's Codex CLI (`codex exec`, the real binary from npm) against the gateway's Responses
// API: a `config.toml` model provider with `wire_api = "responses"` names a group whose only
// deployment is out of credit (Anthropic's real 400), which falls back to an Anthropic-format
// deployment. The mock asks for a shell command (Codex's exec_command tool); Codex runs it and
// sends the function_call_output back, and the mock's final answer quotes that output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack.mjs';
import { gatewayYaml, mockYaml } from './fixtures.mjs';

const CODEX = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '.bin', 'codex');
const MARKER = 'switchyard-tool-ran';
const FINAL = 'Codex ran the command.';
const CODEX_TIMEOUT_MS = 90_000;
const MOCK = mockYaml.replace('default:',
  `  codex-claude: {reply: "${FINAL}", tool_call: {name: exec_command, arguments: {cmd: "echo ${MARKER}"}}}
default:`);

let stack;
let dir;
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: { 'codex-broke': 'codex-claude' } }).replace('router_settings:',
      `  - {model_name: codex-claude, litellm_params: {model: anthropic/codex-claude, api_base: '${base}', api_key: sk-test}}
router_settings:`),
  });
  dir = mkdtempSync(join(tmpdir(), 'switchyard-codex-'));
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runCodex(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(CODEX, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`codex timed out:\n${output}`)); }, CODEX_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

describe('Codex CLI through the gateway (wire_api = "responses")', () => {
  test('codex exec: credit-balance fallback to Anthropic, a shell tool call, its output sent back', async () => {
    const home = join(dir, 'codex-home');
    const workdir = join(dir, 'work');
    for (const d of [home, workdir]) rmSync(d, { recursive: true, force: true });
    await import('node:fs').then((fs) => { fs.mkdirSync(home); fs.mkdirSync(workdir); });
    writeFileSync(join(home, 'config.toml'), `model = "codex-broke"
model_provider = "switchyard"

[model_providers.switchyard]
name = "Switchyard"
base_url = "${stack.url}/v1"
wire_api = "responses"
env_key = "SWITCHYARD_API_KEY"
request_max_retries = 0
stream_max_retries = 0
`);
    const last = join(dir, 'last-message.txt');
    const { code, output } = await runCodex(
      ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-C', workdir,
        '--output-last-message', last, `Run: echo ${MARKER}`],
      { CODEX_HOME: home, SWITCHYARD_API_KEY: 'sk-codex' });
    assert.equal(code, 0, `codex exec failed:\n${output}\n--- gateway/mock ---\n${stack.logs()}`);
    const answer = readFileSync(last, 'utf8');
    assert.match(answer, new RegExp(`^${FINAL} Tool output: .*${MARKER}`), answer);

    const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
    assert.ok(stats.models['codex-broke']?.calls >= 1, 'the out-of-credit deployment was tried');
    const claude = stats.models['codex-claude'];
    assert.ok(claude.calls >= 2, `tool call, then the answer: ${claude.calls} calls`);
    // The last Anthropic request carries Codex's tool output as a tool_result block.
    const lastTurn = claude.last_body.messages.at(-1);
    const result = lastTurn.content.find((b) => b.type === 'tool_result');
    assert.ok(result, JSON.stringify(lastTurn));
    assert.match(JSON.stringify(result.content), new RegExp(MARKER));
  });
});
