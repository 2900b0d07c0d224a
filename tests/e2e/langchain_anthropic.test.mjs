// LangChain's `ChatAnthropic` (@langchain/anthropic, which bundles its own `@anthropic-ai/sdk`)
// against the gateway's /v1/messages: invoke and stream, to an Anthropic deployment after a
// credit-balance fallback and to OpenAI-format deployments (translated both ways, so the client
// must get Anthropic-shaped content blocks and events); tool calling (bindTools, whole and
// streamed, then the tool's result sent back), withStructuredOutput (forced tool and
// output_config.format), and extended thinking whose signed block goes back in the next turn.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { startStack, mockLastBody } from './stack.mjs';
import { REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = { 'lca-invoke': 'anthropic-ok', 'lca-stream': 'anthropic-ok', 'lca-cross': 'openai-ok', 'lca-cross-stream': 'openai-ok' };
const OBJECT = { city: 'Paris', temperature: 21 };
const SCHEMA = z.object({ city: z.string(), temperature: z.number() });
const MOCK = mockYaml.replace('default:', `  lca-tools: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  lca-tools-oa: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  lca-extract-oa: {reply: "not a tool call", tool_call: {name: extract, arguments: ${JSON.stringify(OBJECT)}}}
  lca-json-oa: {reply: '${JSON.stringify(OBJECT)}'}
  lca-think: {reply: "${REPLY.anthropic}"}
  lca-cache: {reply: "${REPLY.anthropic}"}
default:`);

let stack;
const headersSeen = [];  // each response's headers, in order, from the SDK's own fetch
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }).replace('router_settings:',
      `  - {model_name: lca-tools, litellm_params: {model: anthropic/lca-tools, api_base: '${base}', api_key: sk-test}}
  - {model_name: lca-tools-oa, litellm_params: {model: openai_compatible/lca-tools-oa, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: lca-extract-oa, litellm_params: {model: openai_compatible/lca-extract-oa, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: lca-json-oa, litellm_params: {model: openai_compatible/lca-json-oa, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: lca-think, litellm_params: {model: anthropic/lca-think, api_base: '${base}', api_key: sk-test}}
  - {model_name: lca-cache, litellm_params: {model: anthropic/lca-cache, api_base: '${base}', api_key: sk-test}}
router_settings:`),
  });
});
after(() => stack?.stop());

function chat(model, options = {}) {
  return new ChatAnthropic({
    model, apiKey: 'sk-ant-unused', maxRetries: 0, anthropicApiUrl: stack.url, ...options,
    clientOptions: {
      timeout: 20_000,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        headersSeen.push(response.headers);
        return response;
      },
    },
  });
}

const mockBody = (model) => mockLastBody(stack, model);

function assertFellBack(group) {
  const headers = headersSeen.at(-1);
  assert.equal(headers.get('x-switchyard-fallback-path'), `${group},${FALLBACKS[group]}`);
  assert.equal(headers.get('x-switchyard-model-group'), FALLBACKS[group]);
}

function assertUsage(usage) {
  assert.ok(usage, 'usage_metadata is missing');
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0, JSON.stringify(usage));
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
}

async function streamAll(model, input) {
  let whole;
  let chunks = 0;
  for await (const chunk of await model.stream(input)) {
    whole = whole === undefined ? chunk : whole.concat(chunk);
    chunks += 1;
  }
  return { whole, chunks };
}

// Anthropic's pattern for a tool_use id. A translated OpenAI call keeps its upstream id (call_…),
// as LiteLLM does, so the tool_result that comes back names the call the upstream knows.
const TOOL_USE_ID = /^[A-Za-z0-9_-]+$/;

const WEATHER = tool(async ({ city }) => JSON.stringify({ city, sky: 'clear' }), {
  name: 'get_weather', description: 'Weather in a city', schema: z.object({ city: z.string() }),
});

describe('LangChain ChatAnthropic through the gateway', () => {
  for (const [group, reply, upstream] of [['lca-invoke', REPLY.anthropic, 'Anthropic'], ['lca-cross', REPLY.openai, 'OpenAI-format (translated)']]) {
    test(`invoke: ${upstream} deployment answers after a credit-balance fallback`, async () => {
      const message = await chat(group).invoke('Say hello in a few words');
      assert.equal(message.content, reply);
      assert.match(message.response_metadata.id, /^msg_/);
      assert.equal(message.response_metadata.stop_reason, 'end_turn');
      assert.equal(message.response_metadata.type, 'message');
      assertUsage(message.usage_metadata);
      assertFellBack(group);
    });
  }

  for (const [group, reply, upstream] of [['lca-stream', REPLY.anthropic, 'Anthropic'], ['lca-cross-stream', REPLY.openai, 'OpenAI-format (translated)']]) {
    test(`stream: ${upstream} deployment, text deltas then usage, after a fallback`, async () => {
      const { whole, chunks } = await streamAll(chat(group), 'Say hello in a few words');
      assert.ok(chunks > 2, `the answer came in ${chunks} chunks`);
      assert.equal(whole.text, reply);
      if (group === 'lca-stream') {
        assertUsage(whole.usage_metadata);
      } else {
        // LangChain reads input_tokens from message_start only; a stream translated from an OpenAI
        // upstream learns them at the end and sends them in message_delta (as LiteLLM does, and as
        // the official SDK reads them: anthropic_sdk.test.mjs), so LangChain reports 0 here.
        assert.ok(whole.usage_metadata?.output_tokens > 0, JSON.stringify(whole.usage_metadata));
      }
      assertFellBack(group);
    });
  }

  for (const [group, upstream] of [['lca-tools', 'Anthropic'], ['lca-tools-oa', 'OpenAI-format (translated)']]) {
    test(`bindTools (${upstream}): tool_use parsed, tool_result sent back, the model answers`, async () => {
      const model = chat(group).bindTools([WEATHER]);
      const question = new HumanMessage('Weather in Paris?');
      const call = await model.invoke([question]);
      assert.equal(call.tool_calls.length, 1, JSON.stringify(call.content));
      assert.equal(call.tool_calls[0].name, 'get_weather');
      assert.deepEqual(call.tool_calls[0].args, { city: 'Paris' });
      assert.match(call.tool_calls[0].id, TOOL_USE_ID);
      assert.equal(call.response_metadata.stop_reason, 'tool_use');

      const answer = await model.invoke([question, call, await WEATHER.invoke(call.tool_calls[0])]);
      assert.match(answer.text, /^It is sunny\. Tool output: .*clear/);
      assert.equal(answer.tool_calls.length, 0);
      if (group === 'lca-tools-oa') {  // the OpenAI-format deployment got the result as a tool message
        const messages = (await mockBody(group)).messages;
        const sent = messages.find((m) => m.role === 'assistant');
        const result = messages.find((m) => m.role === 'tool');
        assert.ok(sent && result, JSON.stringify(messages));
        assert.equal(sent.tool_calls[0].id, call.tool_calls[0].id);
        assert.equal(result.tool_call_id, call.tool_calls[0].id);
        assert.match(JSON.stringify(result.content), /clear/);
      }
    });

    test(`bindTools, streamed (${upstream}): input_json_delta chunks merge into one call`, async () => {
      const { whole } = await streamAll(chat(group).bindTools([WEATHER]), 'Weather in Paris?');
      assert.equal(whole.tool_calls.length, 1, JSON.stringify(whole.tool_call_chunks));
      assert.equal(whole.tool_calls[0].name, 'get_weather');
      assert.deepEqual(whole.tool_calls[0].args, { city: 'Paris' });
      assert.match(whole.tool_calls[0].id, TOOL_USE_ID);
    });
  }

  test('withStructuredOutput (functionCalling) to an OpenAI-format deployment: tool_choice forces the tool', async () => {
    const result = await chat('lca-extract-oa').withStructuredOutput(SCHEMA).invoke('Weather in Paris as JSON');
    assert.deepEqual(result, OBJECT);
    assert.deepEqual((await mockBody('lca-extract-oa')).tool_choice, { type: 'function', function: { name: 'extract' } });
  });

  test('withStructuredOutput (jsonSchema: output_config.format) to an OpenAI-format deployment', async () => {
    const result = await chat('lca-json-oa').withStructuredOutput(SCHEMA, { method: 'jsonSchema' }).invoke('Weather in Paris as JSON');
    assert.deepEqual(result, OBJECT);
    const format = (await mockBody('lca-json-oa')).response_format;
    assert.equal(format?.type, 'json_schema', JSON.stringify(format));
    assert.deepEqual(Object.keys(format.json_schema.schema.properties), ['city', 'temperature']);
  });

  test('system prompt, stop sequences and temperature reach an OpenAI-format deployment in its form', async () => {
    const message = await chat('openai-ok', { stopSequences: ['END'], temperature: 0.2 })
      .invoke([new SystemMessage('Answer briefly.'), new HumanMessage('Say hello')]);
    assert.equal(message.content, REPLY.openai);
    const body = await mockBody('openai-ok');
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'Say hello' }]);
    assert.deepEqual(body.stop, ['END']);
    assert.equal(body.temperature, 0.2);
  });

  test('prompt caching: a cache_control breakpoint is written, then read (usage_metadata.input_token_details)', async () => {
    const messages = [
      new SystemMessage({ content: [{ type: 'text', text: 'Long stable instructions worth caching', cache_control: { type: 'ephemeral' } }] }),
      new HumanMessage('Say hello'),
    ];
    const first = await chat('lca-cache').invoke(messages);
    const second = await chat('lca-cache').invoke(messages);
    assert.ok(first.usage_metadata.input_token_details.cache_creation > 0, JSON.stringify(first.usage_metadata));
    assert.equal(second.usage_metadata.input_token_details.cache_read, first.usage_metadata.input_token_details.cache_creation,
      JSON.stringify(second.usage_metadata));
  });

  test('an upstream 400: Anthropic-shaped error with its status and reason', async () => {
    await assert.rejects(chat('bad').invoke('Say hello'), (e) => {
      assert.equal(e.status, 400, String(e));
      assert.equal(e.error?.type, 'error', JSON.stringify(e.error));
      assert.equal(e.error?.error?.type, 'invalid_request_error', JSON.stringify(e.error));
      assert.match(e.error.error.message, /roles must alternate/);
      return true;
    });
  });

  test('thinking: a signed thinking block comes back and is accepted in the next turn', async () => {
    const model = chat('lca-think', { thinking: { type: 'enabled', budget_tokens: 1024 }, maxTokens: 2048 });
    const question = new HumanMessage('What is six times seven?');
    const first = await model.invoke([question]);
    const thinking = first.content.find((b) => b.type === 'thinking');
    assert.ok(thinking?.thinking, JSON.stringify(first.content));
    assert.match(thinking.signature, /^mock-sig-/);
    assert.equal(first.text, REPLY.anthropic);
    // The mock, like Anthropic, refuses a thinking block whose signature it did not issue.
    const second = await model.invoke([question, first, new HumanMessage('And seven times six?')]);
    assert.equal(second.text, REPLY.anthropic);
    const sent = (await mockBody('lca-think')).messages[1].content.find((b) => b.type === 'thinking');
    assert.equal(sent?.signature, thinking.signature);
  });

  test('thinking, streamed: thinking and signature deltas merge into one block', async () => {
    const { whole } = await streamAll(chat('lca-think', { thinking: { type: 'enabled', budget_tokens: 1024 }, maxTokens: 2048 }),
      'What is six times seven?');
    const thinking = whole.content.filter((b) => b.type === 'thinking');
    assert.equal(thinking.length, 1, JSON.stringify(whole.content));
    assert.ok(thinking[0].thinking.length > 0);
    assert.match(thinking[0].signature, /^mock-sig-/);
    assert.equal(whole.text, REPLY.anthropic);
  });
});
