-- wrk script: a small non-streaming OpenAI chat request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"MODEL","messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}'
