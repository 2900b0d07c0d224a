// Claude Code itself (`claude -p`, the pinned npm package's native binary) with ANTHROPIC_BASE_URL
// at the gateway: its Anthropic deployment is out of credit (the real 400), so every request falls
// back to Claude on Bedrock (the mock checks the SigV4 signature). One run makes a tool call (the
// mock asks for Bash, Claude Code runs it, the result goes back, the answer comes), one asks for
// extended thinking (MAX_THINKING_TOKENS), whose thinking reaches Bedrock as
// additionalModelRequestFields and comes back signed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BEDROCK_MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const GROUP = 'sy-claude';
const REPLY = 'Switchyard relayed this answer from Bedrock';
const TOOL_OUTPUT = 'switchyard-tool-ran';
const RUN_TIMEOUT_MS = 60_000;

// The platform package's binary (npm ci runs no install scripts here, so claude-code/bin is not
// linked to it); the wrapper's bin/claude.exe when it is.
function claudeBinary() {
  for (const p of [join(here, 'node_modules/@anthropic-ai/claude-code-linux-x64/claude'),
                   join(here, 'node_modules/@anthropic-ai/claude-code-linux-arm64/claude'),
                   join(here, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe')])
    if (existsSync(p)) return p;
  throw new Error('Claude Code is not installed in node_modules (e2e.install)');
}

const mockYaml = `aws: {access_key_id: AKIDCLAUDECODE, secret_access_key: 'claude-code-secret', region: us-east-1}
models:
  claude-direct: {fault: quota_exhausted}
  "${BEDROCK_MODEL}":
    reply: "${REPLY}"
    tool_call: {name: Bash, arguments: {command: "echo ${TOOL_OUTPUT}", description: "Print a marker"}}
`;

const gatewayYaml = (base) => `model_list:
  - {model_name: ${GROUP}, litellm_params: {model: anthropic/claude-direct, api_base: '${base}', api_key: sk-ant-test}}
  - model_name: ${GROUP}-bedrock
    litellm_params: {model: 'bedrock/${BEDROCK_MODEL}', api_base: '${base}', aws_region_name: us-east-1,
                     aws_access_key_id: AKIDCLAUDECODE, aws_secret_access_key: 'claude-code-secret'}
router_settings:
  num_retries: 0
  fallbacks: [{${GROUP}: [${GROUP}-bedrock]}]
`;

let stack;
let home;
before(async () => {
  stack = await startStack({ mockYaml, gatewayYaml });
  home = mkdtempSync(join(tmpdir(), 'switchyard-claude-home-'));
});
after(async () => {
  await stack?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

// Runs `claude -p prompt` against the gateway; resolves with {code, stdout, stderr}.
function claude(prompt, extraEnv = {}, extraArgs = []) {
  const env = {
    PATH: process.env.PATH,
    HOME: home,  // no user settings, no login: the API key below is all it has
    ANTHROPIC_BASE_URL: stack.url,
    ANTHROPIC_API_KEY: 'sk-ant-switchyard-test',
    ANTHROPIC_MODEL: GROUP,
    ANTHROPIC_SMALL_FAST_MODEL: GROUP,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: GROUP,
    ANTHROPIC_DEFAULT_SONNET_MODEL: GROUP,
    ANTHROPIC_DEFAULT_OPUS_MODEL: GROUP,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...extraEnv,
  };
  const args = ['-p', prompt, '--model', GROUP, '--allowedTools', 'Bash', '--max-turns', '4', ...extraArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(claudeBinary(), args, { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`claude timed out\n${stdout}\n${stderr}`)); }, RUN_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

async function mockStats() {
  return (await fetch(`${stack.mockUrl}/mock/stats`)).json();
}

describe('Claude Code through Anthropic (out of credit) to Bedrock', () => {
  test('a turn with a tool call: Bash runs, its result goes back, the answer arrives', async () => {
    const run = await claude('Run the marker command, then report.');
    assert.equal(run.code, 0, `claude exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}\n${stack.logs()}`);
    assert.match(run.stdout, new RegExp(REPLY));
    const stats = await mockStats();
    assert.equal(stats.auth_failures, 0, 'every Bedrock call was correctly SigV4-signed');
    const bedrock = stats.models[BEDROCK_MODEL];
    assert.ok(bedrock.calls >= 2, `Bedrock calls: ${bedrock.calls}`);
    const lastTurn = bedrock.last_body.messages.at(-1);
    const result = lastTurn.content.find((b) => b.toolResult);
    assert.ok(result, JSON.stringify(lastTurn));
    assert.match(JSON.stringify(result.toolResult.content), new RegExp(TOOL_OUTPUT));
    assert.ok(stats.models['claude-direct'].calls >= 1, 'Anthropic was tried first');
  });

  test('a request with extended thinking reaches Bedrock as Claude thinking', async () => {
    const run = await claude('Think, then answer.', { MAX_THINKING_TOKENS: '2048' }, ['--allowedTools', '']);
    assert.equal(run.code, 0, `claude exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}\n${stack.logs()}`);
    assert.match(run.stdout, new RegExp(REPLY));
    const stats = await mockStats();
    const sent = stats.models[BEDROCK_MODEL].last_body;
    assert.ok(sent.additionalModelRequestFields?.thinking, JSON.stringify(sent.additionalModelRequestFields));
    assert.equal(stats.auth_failures, 0);
  });
});
