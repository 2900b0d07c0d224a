// LangChain's `ChatOpenAI` (@langchain/openai, which bundles its own `openai` SDK) against the
// gateway: invoke and stream (usage via streamUsage) over Chat Completions, tool calling
// (bindTools, whole and streamed, then the tool's answer sent back), withStructuredOutput by JSON
// schema and by function calling, and useResponsesApi (/v1/responses) invoke and stream. Answers
// come from Anthropic-format deployments (translated) after credit-balance fallbacks, and from an
// OpenAI-compatible one; response headers are read through the client's own fetch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { startStack, mockLastBody } from './stack.mjs';
import { REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = {
  'lc-invoke': 'anthropic-ok', 'lc-stream': 'anthropic-ok',
  'lc-resp': 'anthropic-ok', 'lc-resp-stream': 'anthropic-ok',
};
const OBJECT = { city: 'Paris', temperature: 21 };
const SCHEMA = z.object({ city: z.string(), temperature: z.number() });
const MOCK = mockYaml.replace('default:', `  lc-json-compat: {reply: '${JSON.stringify(OBJECT)}'}
  lc-json-claude: {reply: "not JSON", tool_call: {name: json_tool_call, arguments: ${JSON.stringify(OBJECT)}}}
  lc-extract: {reply: "not a tool call", tool_call: {name: extract, arguments: ${JSON.stringify(OBJECT)}}}
  lc-tools: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  lc-claude: {reply: "${REPLY.anthropic}"}
default:`);
// A 1x1 PNG, as a data URL the way applications send images.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let stack;
const headersSeen = [];  // each response's headers, in order, from the SDK's own fetch
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }).replace('router_settings:',
      `  - {model_name: lc-json-compat, litellm_params: {model: openai_compatible/lc-json-compat, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: lc-json-claude, litellm_params: {model: anthropic/lc-json-claude, api_base: '${base}', api_key: sk-test}}
  - {model_name: lc-extract, litellm_params: {model: anthropic/lc-extract, api_base: '${base}', api_key: sk-test}}
  - {model_name: lc-tools, litellm_params: {model: anthropic/lc-tools, api_base: '${base}', api_key: sk-test}}
  - {model_name: lc-claude, litellm_params: {model: anthropic/lc-claude, api_base: '${base}', api_key: sk-test}}
  - {model_name: gpt-5-on-claude, litellm_params: {model: anthropic/lc-claude, api_base: '${base}', api_key: sk-test}}
router_settings:`),
  });
});
after(() => stack?.stop());

function chat(model, options = {}) {
  return new ChatOpenAI({
    model, apiKey: 'sk-unused', maxRetries: 0, timeout: 20_000, ...options,
    configuration: {
      baseURL: `${stack.url}/v1`,
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

// Streams `model` and returns the concatenation of the chunks (LangChain's own merge) and their count.
async function streamAll(model, input, options) {
  let whole;
  let chunks = 0;
  for await (const chunk of await model.stream(input, options)) {
    whole = whole === undefined ? chunk : whole.concat(chunk);
    chunks += 1;
  }
  return { whole, chunks };
}

const WEATHER = tool(async ({ city }) => JSON.stringify({ city, sky: 'clear' }), {
  name: 'get_weather', description: 'Weather in a city', schema: z.object({ city: z.string() }),
});

describe('LangChain ChatOpenAI through the gateway (Chat Completions)', () => {
  test('invoke: Anthropic answers after a credit-balance fallback', async () => {
    const message = await chat('lc-invoke').invoke('Say hello in a few words');
    assert.equal(message.content, REPLY.anthropic);
    assert.equal(message.response_metadata.finish_reason, 'stop');
    assertUsage(message.usage_metadata);
    assertFellBack('lc-invoke');
  });

  test('stream: token chunks, then usage (streamUsage) after a fallback', async () => {
    const { whole, chunks } = await streamAll(chat('lc-stream', { streamUsage: true }), 'Say hello in a few words');
    assert.ok(chunks > 2, `the answer came in ${chunks} chunks`);
    assert.equal(whole.content, REPLY.anthropic);
    assertUsage(whole.usage_metadata);
    assertFellBack('lc-stream');
    assert.deepEqual((await mockBody('anthropic-ok')).stream, true);
  });

  test('bindTools: the tool call is parsed, its result sent back, the model answers', async () => {
    const model = chat('lc-tools').bindTools([WEATHER]);
    const question = new HumanMessage('Weather in Paris?');
    const call = await model.invoke([question]);
    assert.equal(call.tool_calls.length, 1, JSON.stringify(call.tool_calls));
    assert.equal(call.tool_calls[0].name, 'get_weather');
    assert.deepEqual(call.tool_calls[0].args, { city: 'Paris' });
    assert.ok(call.tool_calls[0].id, 'the tool call has an id');
    assert.equal(call.response_metadata.finish_reason, 'tool_calls');

    const result = await WEATHER.invoke(call.tool_calls[0]);
    assert.ok(result instanceof ToolMessage);
    const answer = await model.invoke([question, call, result]);
    assert.match(answer.content, /^It is sunny\. Tool output: .*clear/);
    assert.equal(answer.tool_calls.length, 0);
    const turn = (await mockBody('lc-tools')).messages.at(-1);
    const toolResult = turn.content.find((b) => b.type === 'tool_result');
    assert.equal(toolResult?.tool_use_id, call.tool_calls[0].id, JSON.stringify(turn));
  });

  test('bindTools, streamed: tool_call_chunks merge into one parsed call', async () => {
    const { whole } = await streamAll(chat('lc-tools').bindTools([WEATHER]), 'Weather in Paris?');
    assert.equal(whole.tool_calls.length, 1, JSON.stringify(whole.tool_call_chunks));
    assert.equal(whole.tool_calls[0].name, 'get_weather');
    assert.deepEqual(whole.tool_calls[0].args, { city: 'Paris' });
    assert.ok(whole.tool_calls[0].id);
  });

  test('withStructuredOutput (json_schema) to an OpenAI-compatible server', async () => {
    const result = await chat('lc-json-compat').withStructuredOutput(SCHEMA, { method: 'jsonSchema', name: 'weather' })
      .invoke('Weather in Paris as JSON');
    assert.deepEqual(result, OBJECT);
    const body = await mockBody('lc-json-compat');
    assert.equal(body.response_format.type, 'json_schema');
    assert.equal(body.response_format.json_schema.name, 'weather');
  });

  // The gateway forces Anthropic to call one tool, json_tool_call (LiteLLM's name), whose input is the answer.
  test('withStructuredOutput (json_schema) through Anthropic (schema as a forced tool)', async () => {
    const result = await chat('lc-json-claude').withStructuredOutput(SCHEMA, { method: 'jsonSchema' })
      .invoke('Weather in Paris as JSON');
    assert.deepEqual(result, OBJECT);
  });

  test('withStructuredOutput (functionCalling) through Anthropic: tool_choice forces the tool', async () => {
    const { raw, parsed } = await chat('lc-extract').withStructuredOutput(SCHEMA, { method: 'functionCalling', includeRaw: true })
      .invoke('Weather in Paris as JSON');
    assert.deepEqual(parsed, OBJECT);
    assert.equal(raw.tool_calls[0].name, 'extract');
    const body = await mockBody('lc-extract');
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'extract' });
    assert.equal(body.tools[0].name, 'extract');
  });
});

describe('LangChain ChatOpenAI through the gateway: images, reasoning, errors', () => {
  test('an image (data URL) reaches an Anthropic deployment as a base64 image block', async () => {
    const message = await chat('lc-claude').invoke([new HumanMessage({ content: [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
    ] })]);
    assert.equal(message.content, REPLY.anthropic);
    const content = (await mockBody('lc-claude')).messages[0].content;
    assert.deepEqual(content.map((b) => b.type), ['text', 'image']);
    assert.deepEqual(content[1].source, { type: 'base64', media_type: 'image/png', data: PNG });
  });

  // LangChain sends `reasoning` only for model names it knows reason (o1/o3/o4/gpt-5…), so the
  // group is named like one; the gateway turns reasoning_effort into Anthropic thinking.
  test('reasoning_effort to Claude: thinking requested, reasoning_content back, whole and streamed', async () => {
    const model = chat('gpt-5-on-claude', { reasoning: { effort: 'low' }, streamUsage: true });
    const message = await model.invoke('What is six times seven?');
    assert.equal(message.content, REPLY.anthropic);
    assert.ok(message.additional_kwargs.reasoning_content?.length > 0, JSON.stringify(message.additional_kwargs));
    assert.deepEqual((await mockBody('lc-claude')).thinking, { type: 'enabled', budget_tokens: 1024 });
    const { whole } = await streamAll(model, 'What is six times seven?');
    assert.equal(whole.content, REPLY.anthropic);
    assert.equal(whole.additional_kwargs.reasoning_content, message.additional_kwargs.reasoning_content);
    assertUsage(whole.usage_metadata);
  });

  test('a rate-limited group: the 429 reaches LangChain with its status and the upstream reason', async () => {
    await assert.rejects(chat('limited').invoke('Say hello'), (e) => {
      assert.equal(e.status, 429, String(e));
      assert.equal(e.lc_error_code, 'MODEL_RATE_LIMIT', String(e));
      assert.match(e.message, /rate_limit: Rate limit reached/);
      return true;
    });
  });

  test('an unknown model: 404 naming the model', async () => {
    await assert.rejects(chat('no-such-group').invoke('Say hello'), (e) => {
      assert.equal(e.status, 404, String(e));
      assert.match(e.message, /no-such-group/);
      return true;
    });
  });
});

describe('LangChain ChatOpenAI through the gateway (useResponsesApi)', () => {
  test('invoke over /v1/responses: Anthropic answers after a fallback', async () => {
    const message = await chat('lc-resp', { useResponsesApi: true }).invoke('Say hello in a few words');
    assert.equal(message.text, REPLY.anthropic);
    assert.match(message.id ?? message.response_metadata.id, /^resp_|^msg_/);
    assertUsage(message.usage_metadata);
    assertFellBack('lc-resp');
  });

  test('stream over /v1/responses: text deltas, then usage', async () => {
    const { whole, chunks } = await streamAll(chat('lc-resp-stream', { useResponsesApi: true }), 'Say hello in a few words');
    assert.ok(chunks > 2, `the answer came in ${chunks} chunks`);
    assert.equal(whole.text, REPLY.anthropic);
    assertUsage(whole.usage_metadata);
    assertFellBack('lc-resp-stream');
  });

  // The gateway asks Claude to think (reasoning.effort → thinking) and returns the thinking as a
  // reasoning item's summary, its signed blocks in encrypted_content, which LangChain sends back.
  test('reasoning summary over /v1/responses from Claude, whole and streamed, and sent back', async () => {
    const model = chat('gpt-5-on-claude', { useResponsesApi: true, reasoning: { effort: 'low', summary: 'auto' } });
    const question = new HumanMessage('What is six times seven?');
    const message = await model.invoke([question]);
    assert.equal(message.text, REPLY.anthropic);
    assert.deepEqual((await mockBody('lc-claude')).thinking, { type: 'enabled', budget_tokens: 1024 });
    const summary = message.additional_kwargs.reasoning?.summary?.[0]?.text;
    assert.ok(summary?.length > 0, JSON.stringify(message.additional_kwargs));
    assert.deepEqual(message.content.find((b) => b.type === 'reasoning')?.reasoning, summary);

    const { whole } = await streamAll(model, [question]);
    assert.equal(whole.text, REPLY.anthropic);
    assert.equal(whole.additional_kwargs.reasoning?.summary?.map((s) => s.text).join(''), summary,
      JSON.stringify(whole.additional_kwargs));

    const next = await model.invoke([question, message, new HumanMessage('And seven times six?')]);
    assert.equal(next.text, REPLY.anthropic);
    const sent = (await mockBody('lc-claude')).messages;
    assert.deepEqual(sent.map((m) => m.role), ['user', 'assistant', 'user']);
    // The reasoning item LangChain sent back carried Claude's signed thinking (encrypted_content).
    assert.deepEqual(sent[1].content.map((b) => b.type), ['thinking', 'text'], JSON.stringify(sent[1]));
    assert.match(sent[1].content[0].signature, /^mock-sig-/);
  });

  test('tool call over /v1/responses, then its output sent back', async () => {
    const model = chat('lc-tools', { useResponsesApi: true }).bindTools([WEATHER]);
    const question = new HumanMessage('Weather in Paris?');
    const call = await model.invoke([question]);
    assert.equal(call.tool_calls.length, 1, JSON.stringify(call.content));
    assert.deepEqual([call.tool_calls[0].name, call.tool_calls[0].args], ['get_weather', { city: 'Paris' }]);
    const answer = await model.invoke([question, call, await WEATHER.invoke(call.tool_calls[0])]);
    assert.match(answer.text, /^It is sunny\. Tool output: .*clear/);
  });
});
