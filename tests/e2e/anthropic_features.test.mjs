// The official `@anthropic-ai/sdk` asking for extended thinking and prompt caching through each
// kind of provider behind the gateway: Anthropic itself, Claude on Bedrock (Converse, SigV4),
// Gemini (generateContent) and Databricks (OpenAI format). Thinking comes back as thinking blocks
// (signed where the provider signs: Anthropic, Bedrock), whole and streamed; cache usage comes back
// where the provider caches on request (Anthropic, Bedrock), zero where caching is automatic.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, mockLastBody } from './stack.mjs';

const BEDROCK_MODEL = 'anthropic.claude-opus-4-1-20250805-v1:0';
const REPLY = 'Forty-two is the answer';

const mockYaml = `aws: {access_key_id: AKIDSDKFEATURES, secret_access_key: 'sdk-features-secret', region: us-west-2}
gemini: {api_key: gemini-features-key}
models:
  claude-features: {reply: "${REPLY}"}
  "${BEDROCK_MODEL}": {reply: "${REPLY}"}
  gemini-2.5-pro: {reply: "${REPLY}"}
  databricks-claude-features: {reply: "${REPLY}"}
`;

const gatewayYaml = (base) => `model_list:
  - {model_name: anthropic, litellm_params: {model: anthropic/claude-features, api_base: '${base}', api_key: sk-ant-x}}
  - model_name: bedrock
    litellm_params: {model: 'bedrock/${BEDROCK_MODEL}', api_base: '${base}', aws_region_name: us-west-2,
                     aws_access_key_id: AKIDSDKFEATURES, aws_secret_access_key: 'sdk-features-secret'}
  - {model_name: gemini, litellm_params: {model: gemini/gemini-2.5-pro, api_base: '${base}', api_key: gemini-features-key}}
  - {model_name: databricks, litellm_params: {model: databricks/databricks-claude-features, api_base: '${base}/serving-endpoints', api_key: dapi-x}}
router_settings: {num_retries: 0}
`;

// Which providers sign thinking and cache on request.
const PROVIDERS = {
  anthropic: { thinks: true, signs: true, caches: true },
  bedrock: { thinks: true, signs: true, caches: true },
  gemini: { thinks: true, signs: false, caches: false },
  databricks: { thinks: false, signs: false, caches: false },
};

let stack;
let client;
before(async () => {
  stack = await startStack({ mockYaml, gatewayYaml });
  client = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-unused', maxRetries: 0, timeout: 20_000 });
});
after(() => stack?.stop());

const thinkingParams = (model) => ({
  model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 },
  messages: [{ role: 'user', content: 'What is six times seven?' }],
});

const mockBody = (model) => mockLastBody(stack, model);

function assertThinking(message, { thinks, signs }) {
  const thinking = message.content.filter((b) => b.type === 'thinking');
  const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
  assert.equal(text, REPLY);
  if (!thinks) return assert.equal(thinking.length, 0);
  assert.equal(thinking.length, 1, JSON.stringify(message.content));
  assert.ok(thinking[0].thinking.length > 0);
  assert.equal(message.content[0].type, 'thinking', 'thinking comes first');
  if (signs) assert.match(thinking[0].signature, /^mock-sig-/);
}

describe('Anthropic SDK: extended thinking through each provider', () => {
  for (const [model, expect] of Object.entries(PROVIDERS)) {
    test(`${model}: whole answer`, async () => {
      const message = await client.messages.create(thinkingParams(model));
      assertThinking(message, expect);
    });
    test(`${model}: messages.stream() delivers thinking deltas and the final message`, async () => {
      const stream = client.messages.stream(thinkingParams(model));
      let thinkingText = '';
      stream.on('thinking', (delta) => { thinkingText += delta; });
      const final = await stream.finalMessage();
      assertThinking(final, expect);
      if (expect.thinks) assert.equal(thinkingText, final.content[0].thinking);
    });
  }

  test('each provider received thinking in its own form', async () => {
    assert.deepEqual((await mockBody('claude-features')).thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual((await mockBody(BEDROCK_MODEL)).additionalModelRequestFields.thinking,
      { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual((await mockBody('gemini-2.5-pro')).generationConfig.thinkingConfig,
      { thinkingBudget: 2048, includeThoughts: true });
    const databricks = await mockBody('databricks-claude-features');
    assert.deepEqual(databricks.thinking, { type: 'enabled', budget_tokens: 2048 }, 'Claude on Databricks takes thinking');
  });
});

describe('Anthropic SDK: prompt caching through each provider', () => {
  for (const [model, expect] of Object.entries(PROVIDERS)) {
    test(`${model}: a cache breakpoint is written, then read`, async () => {
      const params = {
        model, max_tokens: 64,
        system: [{ type: 'text', text: `Long stable instructions for ${model} worth caching`, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
      };
      const first = await client.messages.create(params);
      const second = await client.messages.create(params);
      if (!expect.caches) {
        assert.ok(!first.usage.cache_read_input_tokens && !second.usage.cache_read_input_tokens);
        return;
      }
      assert.ok(first.usage.cache_creation_input_tokens > 0, JSON.stringify(first.usage));
      assert.equal(first.usage.cache_read_input_tokens, 0);
      assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens, JSON.stringify(second.usage));
      assert.ok(second.usage.input_tokens > 0);
    });
  }
});
