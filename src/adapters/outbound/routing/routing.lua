-- Switchboard router state, one deployment per call. Keys (all under one hash tag per deployment):
-- <d>:n in-flight count, <d>:r:<minute> / <d>:t:<minute> requests / tokens of a minute window,
-- <d>:lat / <d>:ttft recent samples (newest first), <d>:f failure timestamps (sorted set),
-- <d>:c cooldown end (epoch seconds). Time comes in ARGV from the caller, never the server clock.

local op = ARGV[1]

if op == 'reserve' then
  -- KEYS: rpm, tpm, in_flight. ARGV: rpm limit (-1: none), tpm limit (-1: none), tokens,
  -- minute key ttl ms, in-flight ttl ms
  local rpm, tpm, tokens = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
  local minute_ttl, flight_ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
  if rpm >= 0 and tonumber(redis.call('GET', KEYS[1]) or '0') + 1 > rpm then return 0 end
  if tpm >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') + tokens > tpm then return 0 end
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], minute_ttl)
  redis.call('INCRBY', KEYS[2], tokens)
  redis.call('PEXPIRE', KEYS[2], minute_ttl)
  redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], flight_ttl)
  return 1
end

if op == 'release' then
  -- KEYS: in_flight, tpm, latency samples, ttft samples. ARGV: tokens, minute key ttl ms,
  -- latency ('' : none), ttft ('' : none), samples kept, samples ttl ms
  local tokens, minute_ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
  local keep, samples_ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
  if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
    redis.call('DECR', KEYS[1])
  end
  if tokens ~= 0 then
    -- negative: a failed attempt gives its reservation back, never below zero
    if redis.call('INCRBY', KEYS[2], tokens) < 0 then
      redis.call('SET', KEYS[2], 0)
    end
    redis.call('PEXPIRE', KEYS[2], minute_ttl)
  end
  for i, sample in ipairs({ARGV[4], ARGV[5]}) do
    if sample ~= '' then
      local key = KEYS[2 + i]
      redis.call('LPUSH', key, sample)
      redis.call('LTRIM', key, 0, keep - 1)
      redis.call('PEXPIRE', key, samples_ttl)
    end
  end
  return 1
end

if op == 'fail' then
  -- KEYS: failures. ARGV: now, cutoff (failures at or before it are forgotten), member, window ms
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(ARGV[5])))
  return redis.call('ZCARD', KEYS[1])
end

if op == 'cool_down' then
  -- KEYS: cooldown, failures. ARGV: until, ttl ms
  local current = tonumber(redis.call('GET', KEYS[1]) or '')
  local untl, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
  if (current == nil or untl > current) and ttl > 0 then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
  end
  redis.call('DEL', KEYS[2])
  return 1
end

return redis.error_reply('unknown operation ' .. op)
