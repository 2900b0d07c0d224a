#!/usr/bin/env bash
# `switchyard check` on good and bad configs: exit codes and file:line:col diagnostics.
set -u
bin=$1; dir=$2; data=$dir/data; fails=0
expect_eq() {
  if [ "$2" == "$3" ]; then echo "ok   $1"; else echo "FAIL $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails+1)); fi
}

err=$("$bin" check --config "$data/configs/fallback_cycle.yaml" 2>&1 >/dev/null); rc=$?
expect_eq cycle_exit_1 1 $rc
expect_eq cycle_names_line \
  "$data/configs/fallback_cycle.yaml:19:7: fallbacks: fallback cycle claude-opus-4-6 -> databricks-claude-opus-4-6 -> vertex-claude-opus-4-6 -> claude-opus-4-6" \
  "$(echo "$err" | head -1)"

out=$("$bin" check --config "$dir/../examples/quickstart.yaml" 2>&1); rc=$?
expect_eq quickstart_ok 0 $rc
echo "$out" | grep -q ': ok (' ; expect_eq quickstart_says_ok 0 $?

"$bin" check --config /nonexistent.yaml 2>/dev/null; expect_eq missing_file_exit_1 1 $?

# One line per deployment names its credential source, never a secret.
out=$(env -i PATH=/usr/bin:/bin HOME=/nonexistent BEDROCK_EXTERNAL_ID=ext AZURE_TENANT_ID=t AZURE_CLIENT_ID=c \
      AZURE_CLIENT_SECRET=azure-secret-value DATABRICKS_CLIENT_ID=d DATABRICKS_CLIENT_SECRET=dbx-secret-value \
      AWS_ROLE_ARN=arn:aws:iam::1:role/pod AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token \
      "$bin" check --config "$dir/../examples/cloud-credentials.yaml" 2>&1); rc=$?
expect_eq credentials_example_ok 0 $rc
echo "$out" | grep -q ': AWS web identity: STS AssumeRoleWithWebIdentity for arn:aws:iam::1:role/pod'
expect_eq credentials_irsa_named 0 $?
echo "$out" | grep -q 'Entra ID client secret (client c,'; expect_eq credentials_entra_named 0 $?
echo "$out" | grep -q 'Databricks OAuth M2M (client d,'; expect_eq credentials_databricks_named 0 $?
echo "$out" | grep -q 'secret-value'; expect_eq credentials_no_secret_printed 1 $?

tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
printf 'model_list:\n  - model_name: a\n    litellm_params: {model: acme/x}\n' > "$tmp"
err=$("$bin" check --config "$tmp" 2>&1); rc=$?
expect_eq unknown_prefix_exit_1 1 $rc
echo "$err" | grep -q "^$tmp:3:29: unknown provider prefix 'acme'"; expect_eq unknown_prefix_line 0 $?

# Credentials from the environment, as LiteLLM reads them: check names the variable, and fails
# when a provider that needs a key has none.
printf 'model_list:\n  - model_name: a\n    litellm_params: {model: anthropic/claude-x}\n' > "$tmp"
err=$(env -u ANTHROPIC_API_KEY "$bin" check --config "$tmp" 2>&1); rc=$?
expect_eq missing_env_key_exit_1 1 $rc
echo "$err" | grep -q "^$tmp:3:29: deployment 'a' (anthropic/claude-x) has no api_key and ANTHROPIC_API_KEY is not set in the environment"
expect_eq missing_env_key_line 0 $?
out=$(ANTHROPIC_API_KEY=sk-test "$bin" check --config "$tmp" 2>&1); rc=$?
expect_eq env_key_exit_0 0 $rc
echo "$out" | grep -q 'api_key from \$ANTHROPIC_API_KEY'; expect_eq env_key_named 0 $?
echo "$out" | grep -q 'sk-test'; expect_eq env_key_value_never_printed 1 $?
printf 'model_list:\n  - model_name: v\n    litellm_params: {model: vertex_ai/gemini-2.0-flash, api_key: tok}\n' > "$tmp"
out=$(VERTEXAI_PROJECT=my-proj VERTEXAI_LOCATION=europe-west4 "$bin" check --config "$tmp" 2>&1); rc=$?
expect_eq vertex_env_exit_0 0 $rc
echo "$out" | grep -q 'vertex_project from \$VERTEXAI_PROJECT; vertex_location from \$VERTEXAI_LOCATION;'
expect_eq vertex_env_named 0 $?

# LiteLLM's own example configs (tests/data/configs/litellm, each with its source) load: with the
# variables they name set, `check` finds no error; the two naming providers Switchyard does not
# call (cohere/, mistralai/) say so and fail the check, as LiteLLM would fail those calls.
for f in "$data"/configs/litellm/*.yaml; do
  name=$(basename "$f" .yaml)
  out=$(env OPENAI_API_KEY=k ANTHROPIC_API_KEY=k ANTHROPIC_API_KEY_REGULAR=k GROQ_API_KEY=k AZURE_API_KEY=k \
        OPENROUTER_API_KEY=k LITELLM_MASTER_KEY=k "$bin" check --config "$f" 2>&1); rc=$?
  echo "$out" | grep -qE '[0-9]+ errors? in '; expect_eq "litellm_${name}_loads" 1 $?
  case $name in
    load_balancer|otel_test_config)
      expect_eq "litellm_${name}_reports_unknown_provider" 1 $rc
      echo "$out" | grep -q "left out"; expect_eq "litellm_${name}_says_left_out" 0 $? ;;
    *) expect_eq "litellm_${name}_ok" 0 $rc ;;
  esac
done

exit $((fails > 0))
