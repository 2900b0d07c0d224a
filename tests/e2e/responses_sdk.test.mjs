// The official `openai` SDK's Responses API against the gateway's /v1/responses: responses.create
// and the responses.stream() helper (which checks the event order and rebuilds the Response),
// through an Anthropic-format deployment after a credit-balance fallback, passed through to an
// OpenAI deployment, tool calls with their outputs, previous_response_id and retrieve().
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack } from './stack.mjs';
import { REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

// Each test's own group (its deployment is out of credit) → the group that answers.
const FALLBACKS = { 'rs-cross': 'anthropic-ok', 'rs-cross-stream': 'anthropic-ok', 'rs-compat': 'openai-ok' };
const TOOL = { name: 'get_weather', arguments: { city: 'Paris' } };
const MOCK = mockYaml.replace('default:', `  tools-responses: {reply: "It is sunny.", tool_call: {name: get_weather, arguments: {city: Paris}}}
  gpt-responses: {reply: "${REPLY.openai}"}
default:`);

let stack;
let client;
before(async () => {
  stack = await startStack({
    mockYaml: MOCK,
    gatewayYaml: (base) => gatewayYaml(base, { fallbacks: FALLBACKS }).replace('router_settings:',
      `  - {model_name: gpt-responses, litellm_params: {model: openai/gpt-responses, api_base: '${base}/v1', api_key: sk-test}}
  - {model_name: tools-responses, litellm_params: {model: anthropic/tools-responses, api_base: '${base}', api_key: sk-test}}
  - {model_name: think-responses, litellm_params: {model: anthropic/anthropic-ok, api_base: '${base}', api_key: sk-test}}
router_settings:`),
  });
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-unused', maxRetries: 0, timeout: 20_000 });
});
after(() => stack?.stop());

function assertUsage(usage) {
  assert.ok(usage.input_tokens > 0, `input_tokens: ${usage.input_tokens}`);
  assert.ok(usage.output_tokens > 0, `output_tokens: ${usage.output_tokens}`);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
}

describe('OpenAI SDK: responses.create / responses.stream', () => {
  test('responses.create through Anthropic after a credit-balance fallback', async () => {
    const { data, response } = await client.responses
      .create({ model: 'rs-cross', input: 'Say hello', instructions: 'Be brief.' })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-fallback-path'), 'rs-cross,anthropic-ok');
    assert.equal(data.object, 'response');
    assert.equal(data.status, 'completed');
    assert.equal(data.output_text, REPLY.anthropic);  // the SDK's own convenience over output[]
    assertUsage(data.usage);
  });

  test('responses.stream helper through Anthropic after a fallback', async () => {
    const stream = client.responses.stream({ model: 'rs-cross-stream', input: [{ role: 'user', content: 'Say hello' }] });
    let deltas = '';
    const types = [];
    stream.on('response.output_text.delta', (e) => { deltas += e.delta; });
    stream.on('event', (e) => types.push(e.type));
    const final = await stream.finalResponse();
    assert.equal(deltas, REPLY.anthropic);
    assert.equal(final.output_text, REPLY.anthropic);
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    assertUsage(final.usage);
  });

  // The helper checks each reasoning-summary event against the item and part it names.
  test('responses.stream helper: Claude thinking as a reasoning summary before the answer', async () => {
    const stream = client.responses.stream({ model: 'think-responses', input: 'Six times seven?', reasoning: { effort: 'low', summary: 'auto' } });
    let summary = '';
    stream.on('response.reasoning_summary_text.delta', (e) => { summary += e.delta; });
    const final = await stream.finalResponse();
    assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'message']);
    assert.ok(summary.length > 0);
    assert.deepEqual(final.output[0].summary, [{ type: 'summary_text', text: summary }]);
    assert.equal(final.output_text, REPLY.anthropic);
  });

  test('passed through to an OpenAI deployment; retrieve() and previous_response_id on another provider', async () => {
    const first = await client.responses.create({ model: 'gpt-responses', input: 'My name is Ada.' });
    assert.equal(first.output_text, REPLY.openai);
    const again = await client.responses.retrieve(first.id);
    assert.equal(again.id, first.id);
    assert.equal(again.output_text, REPLY.openai);
    const second = await client.responses.create({ model: 'rs-compat', input: 'And my name?', previous_response_id: first.id });
    assert.equal(second.output_text, REPLY.openai);
    assert.equal(second.previous_response_id, first.id);
    await assert.rejects(client.responses.create({ model: 'rs-compat', input: 'x', previous_response_id: 'resp_unknown' }),
      (e) => e instanceof OpenAI.NotFoundError && e.code === 'previous_response_not_found');
  });

  test('errors map to the SDK exception classes (whole and streamed)', async () => {
    const check = (e, ErrorClass, status) => {
      assert.ok(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e?.constructor?.name}: ${e?.message}`);
      assert.equal(e.status, status);
      return true;
    };
    await assert.rejects(client.responses.create({ model: 'bad', input: 'x' }), (e) => check(e, OpenAI.BadRequestError, 400));
    await assert.rejects(client.responses.stream({ model: 'limited', input: 'x' }).finalResponse(),
      (e) => check(e, OpenAI.RateLimitError, 429));
    await assert.rejects(client.responses.create({ model: 'no-such-group', input: 'x' }), (e) => check(e, OpenAI.NotFoundError, 404));
  });

  test('function tool call and its output, streamed, translated from Anthropic', async () => {
    const tools = [{ type: 'function', name: 'get_weather', description: 'Weather in a city', strict: false,
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const first = await client.responses.stream({ model: 'tools-responses', input: 'Weather in Paris?', tools, store: false })
      .finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call, JSON.stringify(first.output));
    assert.equal(call.name, TOOL.name);
    assert.deepEqual(JSON.parse(call.arguments), TOOL.arguments);
    const second = await client.responses.create({
      model: 'tools-responses', tools, store: false,
      input: [{ role: 'user', content: 'Weather in Paris?' }, call,
        { type: 'function_call_output', call_id: call.call_id, output: '{"sky":"clear"}' }],
    });
    assert.equal(second.output_text, 'It is sunny. Tool output: {"sky":"clear"}');
  });
});
