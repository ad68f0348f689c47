-- wrk script for tests/benchmarks/test_scoring_load_benchmark.py: POSTs a fresh inline Stripe
-- Account (its own id) per request with the API key given after `--`.
local counter = 0
local threads = 0
local run = os.time()

function setup(thread)
  -- Runs in the main state: give each thread its own number, so account ids never collide.
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  prefix = string.format("%x%02d", run, number)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"account": {"id": "acct_%s%08d", "object": "account", "country": "US", '
      .. '"business_type": "company", "created": 1760000000, "type": "custom", '
      .. '"business_profile": {"mcc": "5734", "url": "https://example.com"}, '
      .. '"capabilities": {"card_payments": "active", "transfers": "active"}, '
      .. '"controller": {"is_controller": true, "losses": {"payments": "application"}}, '
      .. '"metadata": {}, "requirements": {"currently_due": [], "disabled_reason": null}, '
      .. '"charges_enabled": true, "payouts_enabled": true}}',
    prefix, counter)
  return wrk.format("POST", nil, nil, body)
end
