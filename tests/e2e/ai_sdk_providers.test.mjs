// The Vercel AI SDK's other providers against the gateway: `@ai-sdk/anthropic` (/v1/messages:
// generateText, streamText, a tool loop, extended thinking whose signed reasoning goes back in the
// next step), `@ai-sdk/openai`'s `.chat()` model (Chat Completions, not Responses) and
// `@ai-sdk/openai-compatible` (streamText with usage). Upstreams are Anthropic and OpenAI-format
// deployments, reached directly, translated, and after credit-balance fallbacks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { z } from 'zod';
import { startStack, mockLastBody } from './stack.mjs';
import { REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

// The Anthropic provider warns on every call that it caps max tokens for a model name it does not
// know (the gateway's group names); that is expected here and would drown the test output.
globalThis.AI_SDK_LOG_WARNINGS = false;

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = {
  'aa-text': 'anthropic-ok', 'aa-cross': 'openai-ok', 'aa-stream': 'anthropic-ok', 'aa-cross-stream': 'openai-ok',
  'oc-text': 'anthropic-ok', 'oc-stream': 'anthropic-ok', 'compat-stream': 'anthropic-ok',
};
const MOCK = mockYaml.replace('default:', `  aa-tools: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  aa-tools-oa: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  aa-think: {reply: "${REPLY.anthropic}", tool_call: {name: get_weather, arguments: {city: Paris}}}
  aa-image-oa: {reply: "${REPLY.openai}"}
  compat-think: {reply: "${REPLY.anthropic}"}
default:`);
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let stack;
let anthropic;
let openai;
let compat;
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }).replace('router_settings:',
      `  - {model_name: aa-tools, litellm_params: {model: anthropic/aa-tools, api_base: '${base}', api_key: sk-test}}
  - {model_name: aa-tools-oa, litellm_params: {model: openai_compatible/aa-tools-oa, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: aa-think, litellm_params: {model: anthropic/aa-think, api_base: '${base}', api_key: sk-test}}
  - {model_name: aa-image-oa, litellm_params: {model: openai_compatible/aa-image-oa, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: compat-think, litellm_params: {model: anthropic/compat-think, api_base: '${base}', api_key: sk-test}}
router_settings:`),
  });
  anthropic = createAnthropic({ baseURL: `${stack.url}/v1`, apiKey: 'sk-ant-unused' });
  openai = createOpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-unused' });
  compat = createOpenAICompatible({ name: 'switchyard', baseURL: `${stack.url}/v1`, apiKey: 'sk-unused', includeUsage: true });
});
after(() => stack?.stop());

const mockBody = (model) => mockLastBody(stack, model);

function assertUsage(usage) {
  assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
  assert.equal(usage.totalTokens, usage.inputTokens + usage.outputTokens);
}

const weather = () => ({
  get_weather: tool({
    description: 'Weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, sky: 'clear' }),
  }),
});

async function streamed(model, extra = {}) {
  const result = streamText({ model, prompt: 'Say hello', maxRetries: 0, ...extra });
  const deltas = [];
  for await (const delta of result.textStream) deltas.push(delta);
  return { result, deltas, text: deltas.join('') };
}

describe('@ai-sdk/anthropic through the gateway (/v1/messages)', () => {
  for (const [group, reply, upstream] of [['aa-text', REPLY.anthropic, 'Anthropic'], ['aa-cross', REPLY.openai, 'OpenAI-format (translated)']]) {
    test(`generateText: ${upstream} deployment after a credit-balance fallback`, async () => {
      const result = await generateText({ model: anthropic(group), prompt: 'Say hello', maxRetries: 0 });
      assert.equal(result.text, reply);
      assert.equal(result.finishReason, 'stop');
      assertUsage(result.usage);
      assert.equal(result.response.headers['x-switchyard-fallback-path'], `${group},${FALLBACKS[group]}`);
      assert.match(result.response.id, /^msg_/);
    });
  }

  for (const [group, reply, upstream] of [['aa-stream', REPLY.anthropic, 'Anthropic'], ['aa-cross-stream', REPLY.openai, 'OpenAI-format (translated)']]) {
    test(`streamText: ${upstream} deployment, text deltas then usage, after a fallback`, async () => {
      const { result, deltas, text } = await streamed(anthropic(group));
      assert.ok(deltas.length > 2, `the answer came in ${deltas.length} deltas`);
      assert.equal(text, reply);
      assert.equal(await result.finishReason, 'stop');
      assertUsage(await result.usage);
      assert.equal((await result.response).headers['x-switchyard-fallback-path'], `${group},${FALLBACKS[group]}`);
    });
  }

  for (const [group, upstream] of [['aa-tools', 'Anthropic'], ['aa-tools-oa', 'OpenAI-format (translated)']]) {
    test(`tool loop (stepCountIs): ${upstream} deployment calls, the SDK runs the tool, the model answers`, async () => {
      const result = await generateText({
        model: anthropic(group), tools: weather(), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0,
      });
      assert.equal(result.steps.length, 2);
      assert.equal(result.steps[0].finishReason, 'tool-calls');
      assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
      assert.deepEqual(result.steps[0].toolResults[0].output, { city: 'Paris', sky: 'clear' });
      assert.match(result.text, /^It is sunny\. Tool output: .*clear/);
      assert.equal(result.finishReason, 'stop');
      assertUsage(result.totalUsage);
    });

    test(`tool loop, streamed: ${upstream} deployment`, async () => {
      const result = streamText({
        model: anthropic(group), tools: weather(), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0,
      });
      const inputDeltas = [];
      for await (const part of result.fullStream) if (part.type === 'tool-input-delta') inputDeltas.push(part.delta);
      assert.deepEqual(JSON.parse(inputDeltas.join('')), { city: 'Paris' });
      const steps = await result.steps;
      assert.equal(steps.length, 2);
      assert.deepEqual(steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
      assert.match(await result.text, /^It is sunny\. Tool output: .*clear/);
    });
  }

  test('the OpenAI-format deployment got the tool call and its result in chat form', async () => {
    const messages = (await mockBody('aa-tools-oa')).messages;
    const call = messages.find((m) => m.role === 'assistant');
    const result = messages.find((m) => m.role === 'tool');
    assert.ok(call?.tool_calls && result, JSON.stringify(messages));
    assert.equal(result.tool_call_id, call.tool_calls[0].id);
    assert.match(JSON.stringify(result.content), /clear/);
  });

  test('system prompt and an image reach an OpenAI-format deployment as a system message and a data URL', async () => {
    const result = await generateText({
      model: anthropic('aa-image-oa'), system: 'Answer briefly.', maxRetries: 0,
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image', image: Buffer.from(PNG, 'base64'), mediaType: 'image/png' },
      ] }],
    });
    assert.equal(result.text, REPLY.openai);
    const [system, user] = (await mockBody('aa-image-oa')).messages;
    assert.deepEqual(system, { role: 'system', content: 'Answer briefly.' });
    assert.deepEqual(user.content.map((p) => p.type), ['text', 'image_url']);
    assert.equal(user.content[1].image_url.url, `data:image/png;base64,${PNG}`);
  });

  test('a rate-limited group: APICallError 429, retryable, with the upstream reason', async () => {
    await assert.rejects(generateText({ model: anthropic('limited'), prompt: 'Say hello', maxRetries: 0 }), (e) => {
      assert.ok(APICallError.isInstance(e), String(e));
      assert.equal(e.statusCode, 429);
      assert.equal(e.isRetryable, true);
      assert.match(e.message, /rate_limit: Rate limit reached/);
      return true;
    });
  });

  const thinking = { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } };

  test('thinking: reasoning text and its signature, whole and streamed', async () => {
    const whole = await generateText({ model: anthropic('aa-think'), prompt: 'Six times seven?', providerOptions: thinking, maxRetries: 0 });
    assert.equal(whole.text, REPLY.anthropic);
    assert.ok(whole.reasoningText?.length > 0, JSON.stringify(whole.content));
    assert.match(whole.reasoning[0].providerMetadata.anthropic.signature, /^mock-sig-/);
    assert.deepEqual((await mockBody('aa-think')).thinking, { type: 'enabled', budget_tokens: 1024 });

    const stream = streamText({ model: anthropic('aa-think'), prompt: 'Six times seven?', providerOptions: thinking, maxRetries: 0 });
    let reasoning = '';
    for await (const part of stream.fullStream) if (part.type === 'reasoning-delta') reasoning += part.text;
    assert.ok(reasoning.length > 0);
    assert.equal(await stream.reasoningText, reasoning);
    assert.equal(await stream.text, REPLY.anthropic);
    assert.match((await stream.reasoning)[0].providerMetadata.anthropic.signature, /^mock-sig-/);
  });

  // The mock, like Anthropic, refuses a thinking block whose signature it did not issue: the
  // second step only succeeds if the signed block made the round trip through the gateway.
  test('thinking with a tool loop: the signed reasoning goes back with the tool result', async () => {
    const result = await generateText({
      model: anthropic('aa-think'), tools: weather(), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?',
      providerOptions: thinking, maxRetries: 0,
    });
    assert.equal(result.steps.length, 2, JSON.stringify(result.steps.map((s) => s.finishReason)));
    assert.ok(result.steps[0].reasoningText?.length > 0);
    assert.match(result.text, /Tool output: .*clear/);
    const assistant = (await mockBody('aa-think')).messages.find((m) => m.role === 'assistant');
    const block = assistant.content.find((b) => b.type === 'thinking');
    assert.match(block?.signature ?? '', /^mock-sig-/, JSON.stringify(assistant.content));
  });
});

describe("@ai-sdk/openai's .chat() (Chat Completions) through the gateway", () => {
  test('generateText: Anthropic answers after a fallback, over /v1/chat/completions', async () => {
    const result = await generateText({ model: openai.chat('oc-text'), prompt: 'Say hello', maxRetries: 0 });
    assert.equal(result.text, REPLY.anthropic);
    assert.equal(result.finishReason, 'stop');
    assertUsage(result.usage);
    assert.equal(result.response.headers['x-switchyard-fallback-path'], 'oc-text,anthropic-ok');
    assert.match(result.response.id, /^chatcmpl-/);
  });

  test('streamText: deltas then usage', async () => {
    const { result, deltas, text } = await streamed(openai.chat('oc-stream'));
    assert.ok(deltas.length > 2, `the answer came in ${deltas.length} deltas`);
    assert.equal(text, REPLY.anthropic);
    assertUsage(await result.usage);
  });

  test('tool loop over Chat Completions, translated from Anthropic', async () => {
    const result = await generateText({
      model: openai.chat('aa-tools'), tools: weather(), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0,
    });
    assert.equal(result.steps.length, 2);
    assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
    assert.match(result.text, /^It is sunny\. Tool output: .*clear/);
  });
});

describe('@ai-sdk/openai-compatible through the gateway', () => {
  test('streamText with includeUsage: Anthropic answers after a fallback', async () => {
    const { result, deltas, text } = await streamed(compat.chatModel('compat-stream'));
    assert.ok(deltas.length > 2, `the answer came in ${deltas.length} deltas`);
    assert.equal(text, REPLY.anthropic);
    assert.equal(await result.finishReason, 'stop');
    assertUsage(await result.usage);
    assert.equal((await result.response).headers['x-switchyard-fallback-path'], 'compat-stream,anthropic-ok');
  });

  test('reasoningEffort to Claude: reasoning streamed back as reasoning_content', async () => {
    const result = streamText({
      model: compat.chatModel('compat-think'), prompt: 'Six times seven?', maxRetries: 0,
      providerOptions: { switchyard: { reasoningEffort: 'low' } },
    });
    let reasoning = '';
    for await (const part of result.fullStream) if (part.type === 'reasoning-delta') reasoning += part.text;
    assert.ok(reasoning.length > 0);
    assert.equal(await result.text, REPLY.anthropic);
    assert.deepEqual((await mockBody('compat-think')).thinking, { type: 'enabled', budget_tokens: 1024 });
  });

  test('generateText and a streamed tool loop to an OpenAI-format deployment', async () => {
    const plain = await generateText({ model: compat.chatModel('openai-ok'), prompt: 'Say hello', maxRetries: 0 });
    assert.equal(plain.text, REPLY.openai);
    assertUsage(plain.usage);
    const result = streamText({
      model: compat.chatModel('aa-tools-oa'), tools: weather(), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0,
    });
    assert.match(await result.text, /^It is sunny\. Tool output: .*clear/);
    const steps = await result.steps;
    assert.deepEqual(steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
    assertUsage(await result.totalUsage);
  });
});
