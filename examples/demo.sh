#!/usr/bin/env bash
# make demo: the gateway and the embedded mock providers on 127.0.0.1 (no API keys). The
# Anthropic deployment answers "credit balance too low" (HTTP 400); Switchyard classifies it as
# quota_exhausted, cools that deployment down and falls back to Databricks.
set -euo pipefail
bin=${1:-build/switchyard}
here=$(cd "$(dirname "$0")" && pwd)
mock_port=4010 gw_port=4000   # examples/quickstart.yaml points its api_bases at the mock's 4010
work=$(mktemp -d)
cleanup() { kill "${mock_pid:-}" "${gw_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {  # file, text
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "demo: '$2' never appeared in $1:" >&2; cat "$1" >&2; exit 1
}
for p in $mock_port $gw_port; do
  if port_busy "$p"; then echo "demo: port $p is in use; stop what listens there and run make demo again" >&2; exit 1; fi
done

echo "== 1. Check the config (examples/quickstart.yaml)"
"$bin" check --config "$here/quickstart.yaml"

echo; echo "== 2. Start the mock providers and the gateway"
"$bin" mock --port $mock_port --config "$here/mock.yaml" > "$work/mock.log" 2>&1 & mock_pid=$!
wait_for "$work/mock.log" "listening"
"$bin" serve --config "$here/quickstart.yaml" --port $gw_port > "$work/gw.log" 2>&1 & gw_pid=$!
wait_for "$work/gw.log" "listening"
cat "$work/mock.log" "$work/gw.log" | sed 's/^/   /'

request() {
  curl -sS -D "$work/headers" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$gw_port/v1/chat/completions" \
    -H 'content-type: application/json' \
    -d '{"model":"claude-opus-4-6","messages":[{"role":"user","content":"Hello!"}]}'
}
show() {
  echo "   HTTP $1"; grep -i '^x-switchyard' "$work/headers" | tr -d '\r' | sed 's/^/   /'
  echo "   body: $(cut -c1-220 "$work/body")"
}
calls() {  # how many calls the mock received for an upstream model name
  curl -s "http://127.0.0.1:$mock_port/mock/stats" | grep -o "\"$1\":{\"calls\":[0-9]*" | grep -o '[0-9]*$' || echo 0
}

echo; echo "== 3. A client asks for claude-opus-4-6 (curl, OpenAI format)"
show "$(request)"
echo "   The Anthropic deployment answered 400 \"credit balance too low\". What Switchyard made of it:"
echo '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}' \
  | "$bin" explain --provider anthropic --status 400 --body - | sed 's/^/   explain: /'

echo; echo "== 4. The next request skips the cooled-down Anthropic deployment: no wasted call"
show "$(request)"
echo "   calls the mock received: anthropic=$(calls claude-opus-4-6) databricks=$(calls databricks-claude-opus-4-6)"

echo; echo "== 5. A real client error stays the client's: no fallback, no cooldown"
echo '{"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"}}' \
  | "$bin" explain --provider anthropic --status 400 --body - | sed 's/^/   explain: /'
echo; echo "== 6. What an operator sees: /metrics and one log line per request"
curl -s "http://127.0.0.1:$gw_port/metrics" | grep -E '^switchyard_(fallbacks_total|deployment_cooldown|attempts_total)' \
  | sed 's/^/   /'
sleep 1.2  # the request log is flushed once a second
grep -m1 ' request ' "$work/gw.log" | cut -c1-300 | sed 's/^/   log: /' || true
echo; echo "== 7. The same group through OpenAI's Responses API (what Codex CLI and the Vercel AI SDK speak)"
show "$(curl -sS -D "$work/headers" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$gw_port/v1/responses" \
  -H 'content-type: application/json' -d '{"model":"claude-opus-4-6","input":"Hello!","store":false}')"

echo; echo "Done. Try it yourself: $bin mock --port 4010 --config examples/mock.yaml & $bin serve --config examples/quickstart.yaml"
