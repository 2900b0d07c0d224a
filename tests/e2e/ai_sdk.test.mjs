// The Vercel AI SDK (`ai` + `@ai-sdk/openai`) against the gateway. `openai(model)` speaks the
// Responses API (the SDK's default), so generateText/streamText/generateObject reach
// /v1/responses; embed() reaches /v1/embeddings. Answers come from Anthropic-format and
// OpenAI-compatible chat deployments (translated) after credit-balance fallbacks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { embed, embedMany, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { startStack } from './stack.mjs';
import { REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

const FALLBACKS = { 'ai-text': 'anthropic-ok', 'ai-stream': 'anthropic-ok', 'ai-object-claude': 'json-claude' };
const OBJECT = { city: 'Paris', temperature: 21 };
const MOCK = mockYaml.replace('default:', `  json-ok: {reply: '${JSON.stringify(OBJECT)}'}
  embed-ok: {reply: "unused"}
  json-claude: {reply: "not JSON", tool_call: {name: switchyard_json_output, arguments: ${JSON.stringify(OBJECT)}}}
  tools-ai: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  think-ai: {reply: "${REPLY.anthropic}", tool_call: {name: get_weather, arguments: {city: Paris}}}
default:`);

let stack;
let openai;
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }).replace('router_settings:',
      `  - {model_name: json-ok, litellm_params: {model: openai_compatible/json-ok, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: json-claude, litellm_params: {model: anthropic/json-claude, api_base: '${base}', api_key: sk-test}}
  - {model_name: tools-ai, litellm_params: {model: anthropic/tools-ai, api_base: '${base}', api_key: sk-test}}
  - {model_name: gpt-5-on-claude, litellm_params: {model: anthropic/think-ai, api_base: '${base}', api_key: sk-test}}
  - {model_name: embed-ok, litellm_params: {model: openai_compatible/embed-ok, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: ai-embed, litellm_params: {model: openai/ai-embed, api_base: '${base}/no-credit/v1', api_key: sk-test}}
  - {model_name: ai-object, litellm_params: {model: openai_compatible/ai-object, api_base: '${base}/no-credit/v1', api_key: sk-test}}
router_settings:`).replace('  fallbacks:\n', '  fallbacks:\n    - {ai-embed: [embed-ok]}\n    - {ai-object: [json-ok]}\n'),
  });
  openai = createOpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-unused' });
});
after(() => stack?.stop());

describe('Vercel AI SDK through the gateway', () => {
  test('generateText (Responses API) through Anthropic after a credit-balance fallback', async () => {
    const result = await generateText({ model: openai('ai-text'), prompt: 'Say hello', maxRetries: 0 });
    assert.equal(result.text, REPLY.anthropic);
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0, JSON.stringify(result.usage));
    assert.equal(result.response.headers['x-switchyard-fallback-path'], 'ai-text,anthropic-ok');
  });

  test('streamText (Responses event stream) through Anthropic after a fallback', async () => {
    const result = streamText({ model: openai('ai-stream'), prompt: 'Say hello', maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    assert.equal(text, REPLY.anthropic);
    assert.equal(await result.finishReason, 'stop');
    const usage = await result.usage;
    assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
  });

  test('generateObject (text.format json_schema) to an OpenAI-compatible chat server after an insufficient_quota fallback', async () => {
    const result = await generateObject({
      model: openai('ai-object'),
      schema: z.object({ city: z.string(), temperature: z.number() }),
      prompt: 'Weather in Paris as JSON',
      maxRetries: 0,
    });
    assert.deepEqual(result.object, OBJECT);
    const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
    assert.equal(stats.models['json-ok'].last_body.response_format.type, 'json_schema');
  });

  test('generateObject through Anthropic after a credit-balance fallback (schema as a forced tool)', async () => {
    const result = await generateObject({
      model: openai('ai-object-claude'),
      schema: z.object({ city: z.string(), temperature: z.number() }),
      prompt: 'Weather in Paris as JSON',
      maxRetries: 0,
    });
    assert.deepEqual(result.object, OBJECT);
    assert.equal(result.response.headers['x-switchyard-fallback-path'], 'ai-object-claude,json-claude');
  });

  // Multi-step: the SDK runs the tool and sends its output back (with the default store: true it
  // refers to the stored function_call by item_reference, which the gateway resolves).
  test('generateText with a tool: call, execute, answer (two steps, translated from Anthropic)', async () => {
    const result = await generateText({
      model: openai('tools-ai'),
      tools: {
        get_weather: tool({
          description: 'Weather in a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, sky: 'clear' }),
        }),
      },
      stopWhen: stepCountIs(3),
      prompt: 'Weather in Paris?',
      maxRetries: 0,
    });
    assert.equal(result.steps.length, 2);
    assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
    assert.match(result.text, /^It is sunny\. Tool output: .*clear/);
    const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
    const turn = stats.models['tools-ai'].last_body.messages.at(-1);
    assert.ok(turn.content.some((b) => b.type === 'tool_result'), JSON.stringify(turn));
  });

  // The SDK sends reasoning options only for model names it knows reason (gpt-5…, o-series),
  // hence the group's name. Claude's thinking comes back as a reasoning item's summary (its signed
  // blocks in encrypted_content); in the tool loop's second step the SDK refers to that stored
  // item by item_reference.
  const reasoning = { openai: { reasoningEffort: 'low', reasoningSummary: 'auto' } };

  test('reasoning summary from Claude (Responses API), whole and streamed', async () => {
    const whole = await generateText({ model: openai('gpt-5-on-claude'), prompt: 'Six times seven?', providerOptions: reasoning, maxRetries: 0 });
    assert.equal(whole.text, REPLY.anthropic);
    assert.ok(whole.reasoningText?.length > 0, JSON.stringify(whole.content));
    const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
    assert.deepEqual(stats.models['think-ai'].last_body.thinking, { type: 'enabled', budget_tokens: 1024 });

    const stream = streamText({ model: openai('gpt-5-on-claude'), prompt: 'Six times seven?', providerOptions: reasoning, maxRetries: 0 });
    let deltas = '';
    for await (const part of stream.fullStream) if (part.type === 'reasoning-delta') deltas += part.text;
    assert.equal(deltas, whole.reasoningText);
    assert.equal(await stream.text, REPLY.anthropic);
  });

  test('reasoning with a tool loop: the stored reasoning item is referred to in the next step', async () => {
    const result = await generateText({
      model: openai('gpt-5-on-claude'), providerOptions: reasoning, maxRetries: 0, stopWhen: stepCountIs(3),
      tools: { get_weather: tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, sky: 'clear' }) }) },
      prompt: 'Weather in Paris?',
    });
    assert.equal(result.steps.length, 2, JSON.stringify(result.steps.map((s) => s.finishReason)));
    assert.ok(result.steps[0].reasoningText?.length > 0);
    assert.match(result.text, /Tool output: .*clear/);
    assert.ok(result.steps[1].request.body.input.some((i) => i.type === 'item_reference' && i.id.startsWith('rs_')),
      JSON.stringify(result.steps[1].request.body.input));
    // The stored reasoning item carried Claude's signed thinking: it precedes the tool_use again,
    // as Anthropic requires when continuing a thinking turn (the mock checks the signature).
    const stats = await (await fetch(`${stack.mockUrl}/mock/stats`)).json();
    const assistant = stats.models['think-ai'].last_body.messages[1];
    assert.deepEqual(assistant.content.map((b) => b.type), ['thinking', 'tool_use'], JSON.stringify(assistant));
    assert.match(assistant.content[0].signature, /^mock-sig-/);
  });

  test('embed and embedMany (/v1/embeddings) after a credit-balance fallback', async () => {
    const one = await embed({ model: openai.embedding('ai-embed'), value: 'sunny day at the beach', maxRetries: 0 });
    assert.ok(one.embedding.length > 0);
    assert.ok(one.embedding.every((x) => typeof x === 'number' && Number.isFinite(x)));
    const many = await embedMany({ model: openai.embedding('ai-embed'), values: ['a', 'b c'], maxRetries: 0 });
    assert.equal(many.embeddings.length, 2);
    assert.notDeepEqual(many.embeddings[0], many.embeddings[1]);
  });
});
