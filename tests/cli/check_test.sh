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

tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
printf 'model_list:\n  - model_name: a\n    litellm_params: {model: acme/x}\n' > "$tmp"
err=$("$bin" check --config "$tmp" 2>&1); rc=$?
expect_eq unknown_prefix_exit_1 1 $rc
echo "$err" | grep -q "^$tmp:3:29: unknown provider prefix 'acme'"; expect_eq unknown_prefix_line 0 $?

exit $((fails > 0))
