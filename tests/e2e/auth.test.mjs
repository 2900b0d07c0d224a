// A gateway with general_settings.master_key: each SDK sends its key the way it always does
// (OpenAI `Authorization: Bearer`, Anthropic `x-api-key`); a wrong key is an AuthenticationError.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startStack } from './stack.mjs';
import { MESSAGES, REPLY, gatewayYaml, mockYaml } from './fixtures.mjs';

const MASTER_KEY = 'sk-switchyard-e2e-master';
let stack;
before(async () => {
  stack = await startStack({ mockYaml, gatewayYaml: (base) => gatewayYaml(base, { masterKey: MASTER_KEY }) });
});
after(() => stack?.stop());

const openai = (apiKey) => new OpenAI({ baseURL: `${stack.url}/v1`, apiKey, maxRetries: 0 });
const anthropic = (apiKey) => new Anthropic({ baseURL: stack.url, apiKey, maxRetries: 0 });
const isAuthError = (ErrorClass) => (e) => {
  assert.ok(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e?.constructor?.name}: ${e?.message}`);
  assert.equal(e.status, 401);
  return true;
};

describe('master_key', () => {
  test('OpenAI SDK, right key → completion', async () => {
    const done = await openai(MASTER_KEY).chat.completions.create({ model: 'openai-ok', messages: MESSAGES });
    assert.equal(done.choices[0].message.content, REPLY.openai);
  });
  test('OpenAI SDK, wrong key → AuthenticationError 401', () =>
    assert.rejects(openai('sk-wrong').chat.completions.create({ model: 'openai-ok', messages: MESSAGES }),
      isAuthError(OpenAI.AuthenticationError)));
  test('OpenAI SDK, wrong key while streaming → AuthenticationError 401', () =>
    assert.rejects(openai('sk-wrong').chat.completions.create({ model: 'openai-ok', messages: MESSAGES, stream: true }),
      isAuthError(OpenAI.AuthenticationError)));
  test('Anthropic SDK, right key (x-api-key) → message', async () => {
    const message = await anthropic(MASTER_KEY).messages.create({ model: 'anthropic-ok', max_tokens: 64, messages: MESSAGES });
    assert.equal(message.content[0].text, REPLY.anthropic);
  });
  test('Anthropic SDK, wrong key → AuthenticationError 401', () =>
    assert.rejects(anthropic('sk-ant-wrong').messages.create({ model: 'anthropic-ok', max_tokens: 64, messages: MESSAGES }),
      isAuthError(Anthropic.AuthenticationError)));
  test('Anthropic SDK, wrong key while streaming → AuthenticationError 401', () =>
    assert.rejects(anthropic('sk-ant-wrong').messages.stream({ model: 'anthropic-ok', max_tokens: 64, messages: MESSAGES }).finalMessage(),
      isAuthError(Anthropic.AuthenticationError)));
  test('models list needs the key too', async () => {
    const ids = [];
    for await (const m of openai(MASTER_KEY).models.list()) ids.push(m.id);
    assert.ok(ids.includes('openai-ok'), ids.join(','));
    await assert.rejects(openai('sk-wrong').models.list(), isAuthError(OpenAI.AuthenticationError));
  });
});
