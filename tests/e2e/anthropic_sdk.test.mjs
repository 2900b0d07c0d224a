// The official `@anthropic-ai/sdk` against the gateway's /v1/messages: fallback after the
// credit-balance 400, both streaming APIs, translation from OpenAI-format upstreams, error classes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { putMockBehaviour, startStack } from './stack.mjs';
import { MESSAGES, REPLY_OF, gatewayYaml, mockYaml } from './fixtures.mjs';

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = {
  'an-same': 'anthropic-ok', 'an-same-stream': 'anthropic-ok', 'an-same-raw': 'anthropic-ok',
  'an-cross': 'databricks-ok', 'an-cross-stream': 'openai-ok', 'an-cross-raw': 'databricks-ok',
};

let stack;
let client;
before(async () => {
  stack = await startStack({ mockYaml, gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }) });
  client = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-unused', maxRetries: 0, timeout: 20_000 });
});
after(() => stack?.stop());

const params = (model) => ({ model, max_tokens: 64, messages: MESSAGES });

function assertFellBack(response, group) {
  assert.equal(response.headers.get('x-switchyard-attempts'), '2');
  assert.equal(response.headers.get('x-switchyard-fallback-path'), `${group},${FALLBACKS[group]}`);
  assert.equal(response.headers.get('x-switchyard-model-group'), FALLBACKS[group]);
}

function assertMessage(message, group) {
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.match(message.id, /^msg_/);
  assert.equal(message.content.length, 1);
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, REPLY_OF[FALLBACKS[group]]);
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.input_tokens > 0, `input_tokens: ${message.usage.input_tokens}`);
  assert.ok(message.usage.output_tokens > 0, `output_tokens: ${message.usage.output_tokens}`);
}

async function nonStreaming(model) {
  const { data, response } = await client.messages.create(params(model)).withResponse();
  assertFellBack(response, model);
  assertMessage(data, model);
}

// messages.stream(): the SDK's MessageStream accumulates events into the final Message and
// throws on events out of order.
async function helperStream(model) {
  const { data: stream, response } = await client.messages.stream(params(model)).withResponse();
  assertFellBack(response, model);
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  const final = await stream.finalMessage();
  assert.equal(text, REPLY_OF[FALLBACKS[model]]);
  assertMessage(final, model);
}

// create({stream: true}): the raw event sequence, checked against Anthropic's documented order.
async function rawStream(model) {
  const { data: stream, response } = await client.messages.create({ ...params(model), stream: true }).withResponse();
  assertFellBack(response, model);
  const types = [];
  let text = '';
  let usage = {};
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'message_start') usage = { ...event.message.usage };
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    if (event.type === 'message_delta') {
      assert.equal(event.delta.stop_reason, 'end_turn');
      usage.output_tokens = event.usage.output_tokens;
      // A gateway streaming from an OpenAI upstream learns input_tokens only at the end; the SDK
      // (and Anthropic's API) allow the cumulative total in message_delta.
      if (event.usage.input_tokens != null) usage.input_tokens = event.usage.input_tokens;
    }
  }
  assert.equal(text, REPLY_OF[FALLBACKS[model]]);
  assert.equal(types[0], 'message_start');
  assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
  assert.ok(types.includes('content_block_start') && types.includes('content_block_stop'), types.join(','));
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0, JSON.stringify(usage));
}

describe('Anthropic SDK: first deployment out of credit, fallback answers', () => {
  test('non-streaming, Anthropic-format upstream', () => nonStreaming('an-same'));
  test('messages.stream(), Anthropic-format upstream', () => helperStream('an-same-stream'));
  test('create({stream: true}), Anthropic-format upstream', () => rawStream('an-same-raw'));
  test('non-streaming, OpenAI-format upstream via Databricks (translated)', () => nonStreaming('an-cross'));
  test('messages.stream(), OpenAI-compatible upstream (translated)', () => helperStream('an-cross-stream'));
  test('create({stream: true}), OpenAI-format upstream via Databricks (translated)', () => rawStream('an-cross-raw'));
});

describe('Anthropic SDK: errors map to the SDK exception classes', () => {
  const rejectsWith = (promise, ErrorClass, status, pattern) =>
    assert.rejects(promise, (e) => {
      assert.ok(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e?.constructor?.name}: ${e?.message}`);
      assert.equal(e.status, status);
      assert.match(e.message, pattern);
      return true;
    });

  test('bad_request upstream → BadRequestError 400', () =>
    rejectsWith(client.messages.create(params('bad')), Anthropic.BadRequestError, 400, /bad_request/));
  test('bad_request upstream while streaming → BadRequestError 400', () =>
    rejectsWith(client.messages.stream(params('bad')).finalMessage(), Anthropic.BadRequestError, 400, /bad_request/));
  test('rate_limit everywhere → RateLimitError 429', () =>
    rejectsWith(client.messages.create(params('limited')), Anthropic.RateLimitError, 429, /rate_limit/));
  test('unknown model → NotFoundError 404', () =>
    rejectsWith(client.messages.create(params('no-such-group')), Anthropic.NotFoundError, 404, /no-such-group/));
});

// The mock answers requests that declare tools with the behaviour's `tool_call`, in the upstream's
// format; the gateway translates it (and the tools) when the formats differ.
const TOOLS = [{
  name: 'get_weather', description: 'Weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];
const TOOL_CALL = { name: 'get_weather', arguments: { city: 'Paris' } };

describe('Anthropic SDK: tool calls', () => {
  for (const group of ['tools-anthropic', 'tools-openai']) {
    test(`tool_use from ${group}, non-streaming and streaming`, async () => {
      await putMockBehaviour(stack, group, { tool_call: TOOL_CALL });  // upstream model = group name
      const request = { ...params(group), tools: TOOLS, tool_choice: { type: 'any' } };
      for (const message of [await client.messages.create(request), await client.messages.stream(request).finalMessage()]) {
        const block = message.content.find((b) => b.type === 'tool_use');
        assert.equal(message.stop_reason, 'tool_use');
        assert.equal(block?.name, TOOL_CALL.name);
        assert.ok(block.id, 'tool_use blocks carry an id');
        assert.deepEqual(block.input, TOOL_CALL.arguments);
      }
    });
  }
});
