#!/usr/bin/env bash
# `switchyard explain` driven as a user drives it: real binary, real files, stdin, exit codes.
set -u
bin=$1; dir=$2; data=$dir/data; fails=0
expect_eq() {  # name, expected, actual
  if [ "$2" == "$3" ]; then echo "ok   $1"; else echo "FAIL $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails+1)); fi
}

out=$("$bin" explain --provider anthropic --status 400 --body "$data/bodies/anthropic_credit_balance.json")
expect_eq credit_balance_falls_back \
  '{"class":"quota_exhausted","retry":false,"cooldown":true,"fallback":true,"rule":"anthropic.credit_balance_too_low"}' "$out"

out=$("$bin" explain --provider anthropic --status 400 --body - < "$data/bodies/anthropic_invalid_role.json")
expect_eq invalid_role_is_bad_request \
  '{"class":"bad_request","retry":false,"cooldown":false,"fallback":false,"rule":"anthropic.invalid_request_error"}' "$out"

out=$("$bin" explain --provider anthropic --status 400 --body "$data/bodies/anthropic_invalid_role.json" --config "$data/configs/fallback_on_400.yaml")
expect_eq user_pattern_lets_it_fall_back \
  '{"class":"bad_request","retry":false,"cooldown":false,"fallback":true,"rule":"anthropic.invalid_request_error + config.fallback_on.error_patterns[0]"}' "$out"

out=$(printf '{"message":"Too many requests, please wait before trying again."}' |
  "$bin" explain --provider bedrock --status 429 -H 'x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' --body -)
expect_eq bedrock_header_type '{"class":"rate_limit","retry":true,"cooldown":true,"fallback":true,"rule":"bedrock.throttling"}' "$out"

out=$("$bin" explain --provider openai --status 0 --transport-error connection_reset)
expect_eq transport_error '{"class":"connection","retry":true,"cooldown":true,"fallback":true,"rule":"transport.connection_reset"}' "$out"

out=$(head -c 10485760 /dev/urandom | "$bin" explain --provider gemini --status 502 --body -)
expect_eq ten_mb_garbage '{"class":"server_error","retry":true,"cooldown":true,"fallback":true,"rule":"generic.status_5xx"}' "$out"

"$bin" explain --provider nosuch --status 400 --body /dev/null 2>/dev/null; expect_eq unknown_provider_exit_2 2 $?
"$bin" explain --provider openai --status 400 --body /nonexistent 2>/dev/null; expect_eq missing_body_exit_2 2 $?
"$bin" explain --provider openai --status 400 --header 'no-colon' --body /dev/null 2>/dev/null; expect_eq bad_header_exit_2 2 $?
err=$("$bin" explain --provider openai --status 400 --body /dev/null --config "$data/configs/fallback_cycle.yaml" 2>&1 >/dev/null); rc=$?
expect_eq bad_config_exit_1 1 $rc

exit $((fails > 0))
