#!/usr/bin/env bash
# make demo: what Switchyard decides for the motivating failure, with no API keys.
set -euo pipefail
bin=${1:-build/switchyard}
here=$(cd "$(dirname "$0")" && pwd)
body='{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}'

echo "== 1. The config is valid (switchyard check)"
"$bin" check --config "$here/quickstart.yaml"
echo
echo "== 2. Anthropic answers 400 invalid_request_error: credit balance too low"
echo "   $body"
echo "   switchyard explain --provider anthropic --status 400 --body -"
echo -n "   → "; echo "$body" | "$bin" explain --provider anthropic --status 400 --body -
echo "   A status-code gateway would return this 400 to the caller. Switchyard calls it"
echo "   quota_exhausted: cool the deployment down and fall back to the next provider."
echo
echo "== 3. A real client error stays a client error (no fallback)"
bad='{"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"}}'
echo -n "   → "; echo "$bad" | "$bin" explain --provider anthropic --status 400 --body -
