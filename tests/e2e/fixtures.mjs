// The mock and gateway configs the SDK tests share. A failed deployment is cooled down, so a test
// that expects "first attempt out of credit, second answers" needs its own failing deployment:
// each test names its own group (`fallbacks` below), all sent to the mock's /no-credit prefix.

// Several words (the mock streams word groups), non-ASCII (a real stream can split UTF-8 bytes).
export const REPLY = {
  openai: 'Hello from the OpenAI-format deployment — it works ✓',
  anthropic: 'Hello from the Anthropic-format deployment — it works ✓',
};

export const MESSAGES = [{ role: 'user', content: 'Say hello in a few words' }];

// Upstream model names double as the mock's behaviour keys; "<prefix>|*" is any model whose
// api_base path starts with the prefix.
export const mockYaml = `models:
  "/no-credit|*": {fault: quota_exhausted}  # Anthropic's real 400 "credit balance is too low"
  "/bad|*": {fault: bad_request}
  "/limited|*": {fault: rate_limit}
  openai-ok: {reply: "${REPLY.openai}"}
  anthropic-ok: {reply: "${REPLY.anthropic}"}
default: {reply: "the mock's default behaviour answered: no test expects this"}
`;

// Groups that answer: `openai-ok` (openai_compatible), `databricks-ok` (OpenAI format through the
// Databricks adapter), `anthropic-ok` (anthropic). `fallbacks` maps each test's own group, whose
// only deployment is out of credit, to one of them. `bad` always 400s, `limited` always 429s.
// `tools-openai`/`tools-anthropic`: upstream models of their own for tests that change the mock.
export function gatewayYaml(base, { fallbacks = {}, masterKey } = {}) {
  const group = (name, model, apiBase) =>
    `  - {model_name: ${name}, litellm_params: {model: ${model}, api_base: '${apiBase}', api_key: sk-test}}\n`;
  let yaml = 'model_list:\n' +
    group('openai-ok', 'openai_compatible/openai-ok', `${base}/v1`) +
    group('databricks-ok', 'databricks/openai-ok', `${base}/serving-endpoints`) +
    group('anthropic-ok', 'anthropic/anthropic-ok', base) +
    group('bad', 'anthropic/claude-bad', `${base}/bad`) +
    group('limited', 'openai/gpt-limited', `${base}/limited/v1`) +
    group('tools-openai', 'openai_compatible/tools-openai', `${base}/v1`) +
    group('tools-anthropic', 'anthropic/tools-anthropic', base);
  for (const name of Object.keys(fallbacks)) yaml += group(name, `anthropic/${name}`, `${base}/no-credit`);
  // num_retries 0: a rate-limited group answers 429 at once instead of after backoff.
  yaml += 'router_settings:\n  num_retries: 0\n  fallbacks:\n';
  for (const [name, target] of Object.entries(fallbacks)) yaml += `    - {${name}: [${target}]}\n`;
  if (Object.keys(fallbacks).length === 0) yaml = yaml.replace('  fallbacks:\n', '');
  if (masterKey) yaml += `general_settings:\n  master_key: ${masterKey}\n`;
  return yaml;
}

// What each answering group replies (the mock keys on the upstream model name).
export const REPLY_OF = { 'openai-ok': REPLY.openai, 'databricks-ok': REPLY.openai, 'anthropic-ok': REPLY.anthropic };
