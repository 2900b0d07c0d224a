// The official `openai` SDK against the gateway's /v1/chat/completions: fallback after Anthropic's
// credit-balance 400, streaming, translation from Anthropic-format upstreams, error classes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { putMockBehaviour, startStack } from './stack.mjs';
import { MESSAGES, REPLY_OF, gatewayYaml, mockYaml } from './fixtures.mjs';

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = {
  'oa-same': 'openai-ok', 'oa-same-stream': 'openai-ok', 'oa-same-helper': 'openai-ok',
  'oa-cross': 'anthropic-ok', 'oa-cross-stream': 'anthropic-ok',
};

let stack;
let client;
before(async () => {
  stack = await startStack({ mockYaml, gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }) });
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-unused', maxRetries: 0, timeout: 20_000 });
});
after(() => stack?.stop());

function assertFellBack(response, group) {
  assert.equal(response.headers.get('x-switchyard-attempts'), '2');
  assert.equal(response.headers.get('x-switchyard-fallback-path'), `${group},${FALLBACKS[group]}`);
  assert.equal(response.headers.get('x-switchyard-model-group'), FALLBACKS[group]);
}

function assertUsage(usage) {
  assert.ok(usage, 'usage is missing');
  assert.ok(usage.prompt_tokens > 0, `prompt_tokens: ${usage.prompt_tokens}`);
  assert.ok(usage.completion_tokens > 0, `completion_tokens: ${usage.completion_tokens}`);
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
}

async function nonStreaming(model) {
  const { data, response } = await client.chat.completions.create({ model, messages: MESSAGES }).withResponse();
  assertFellBack(response, model);
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.choices.length, 1);
  assert.equal(data.choices[0].message.role, 'assistant');
  assert.equal(data.choices[0].message.content, REPLY_OF[FALLBACKS[model]]);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assertUsage(data.usage);
}

// Reads the stream chunk by chunk, as most applications do.
async function streaming(model) {
  const { data: stream, response } = await client.chat.completions
    .create({ model, messages: MESSAGES, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  assertFellBack(response, model);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  let text = '';
  let finish = null;
  let usage = null;
  const ids = new Set();
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    ids.add(chunk.id);
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, REPLY_OF[FALLBACKS[model]]);
  assert.equal(finish, 'stop');
  assert.equal(ids.size, 1, `one completion id across chunks, got ${[...ids]}`);
  assertUsage(usage);
}

describe('OpenAI SDK: first deployment out of credit, fallback answers', () => {
  test('non-streaming, OpenAI-format upstream', () => nonStreaming('oa-same'));
  test('streaming, OpenAI-format upstream', () => streaming('oa-same-stream'));
  test('non-streaming, Anthropic-format upstream (translated)', () => nonStreaming('oa-cross'));
  test('streaming, Anthropic-format upstream (translated)', () => streaming('oa-cross-stream'));

  // The SDK's stream helper rebuilds the whole completion from the chunks and checks their order.
  test('chat.completions.stream() helper builds the final completion', async () => {
    const model = 'oa-same-helper';
    const stream = client.chat.completions.stream({ model, messages: MESSAGES, stream_options: { include_usage: true } });
    let deltas = '';
    stream.on('content.delta', ({ delta }) => { deltas += delta; });
    const final = await stream.finalChatCompletion();
    assert.equal(deltas, REPLY_OF[FALLBACKS[model]]);
    assert.equal(final.choices[0].message.content, REPLY_OF[FALLBACKS[model]]);
    assert.equal(final.choices[0].finish_reason, 'stop');
    assertUsage(final.usage);
  });
});

describe('OpenAI SDK: errors map to the SDK exception classes', () => {
  const rejectsWith = (promise, ErrorClass, status, pattern) =>
    assert.rejects(promise, (e) => {
      assert.ok(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e?.constructor?.name}: ${e?.message}`);
      assert.equal(e.status, status);
      assert.match(e.message, pattern);
      return true;
    });

  test('bad_request upstream → BadRequestError 400', () =>
    rejectsWith(client.chat.completions.create({ model: 'bad', messages: MESSAGES }), OpenAI.BadRequestError, 400, /bad_request/));
  test('bad_request upstream while streaming → BadRequestError 400 before any chunk', () =>
    rejectsWith(client.chat.completions.create({ model: 'bad', messages: MESSAGES, stream: true }), OpenAI.BadRequestError, 400, /bad_request/));
  test('rate_limit everywhere → RateLimitError 429', () =>
    rejectsWith(client.chat.completions.create({ model: 'limited', messages: MESSAGES }), OpenAI.RateLimitError, 429, /rate_limit/));
  test('unknown model → NotFoundError 404', () =>
    rejectsWith(client.chat.completions.create({ model: 'no-such-group', messages: MESSAGES }), OpenAI.NotFoundError, 404, /no-such-group/));
});

// The mock answers requests that declare tools with the behaviour's `tool_call`, in the upstream's
// format; the gateway translates it (and the tools) when the formats differ.
const TOOLS = [{
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}];
const TOOL_CALL = { name: 'get_weather', arguments: { city: 'Paris' } };

describe('OpenAI SDK: tool calls', () => {
  for (const group of ['tools-openai', 'tools-anthropic']) {
    test(`tool call from ${group}, non-streaming and streaming`, async () => {
      await putMockBehaviour(stack, group, { tool_call: TOOL_CALL });  // upstream model = group name
      const request = { model: group, messages: MESSAGES, tools: TOOLS, tool_choice: 'required' };
      const done = await client.chat.completions.create(request);
      const call = done.choices[0].message.tool_calls?.[0];
      assert.equal(done.choices[0].finish_reason, 'tool_calls');
      assert.equal(call?.type, 'function');
      assert.equal(call.function.name, TOOL_CALL.name);
      assert.deepEqual(JSON.parse(call.function.arguments), TOOL_CALL.arguments);
      const streamed = await client.chat.completions.stream(request).finalChatCompletion();
      assert.deepEqual(JSON.parse(streamed.choices[0].message.tool_calls[0].function.arguments), TOOL_CALL.arguments);
      assert.equal(streamed.choices[0].finish_reason, 'tool_calls');
    });
  }
});
