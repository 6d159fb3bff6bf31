-- Switchboard rate-limit and budget counters. One counter = a sorted set of entry expiries
-- (<key>:z, member -> expiry ms) and a hash (<key>:h) of entry weights plus two fields:
-- "~t", the total of live entries, and "~s", money spent (budgets only).
-- Time comes in ARGV (now_ms), never from the server clock.

local function purge(z, h, now)
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  if #expired > 0 then
    local total = 0
    for _, m in ipairs(expired) do
      local w = redis.call('HGET', h, m)
      if w then
        total = total + tonumber(w)
        redis.call('HDEL', h, m)
      end
    end
    if total ~= 0 then redis.call('HINCRBY', h, '~t', -total) end
    redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
  end
end

local function used(h)
  local t = tonumber(redis.call('HGET', h, '~t') or '0')
  local s = tonumber(redis.call('HGET', h, '~s') or '0')
  return t + s
end

local function drop(z, h, member)
  local w = redis.call('HGET', h, member)
  if w then
    redis.call('HDEL', h, member)
    redis.call('HINCRBY', h, '~t', -tonumber(w))
    redis.call('ZREM', z, member)
  end
end

local function oldest(z, now)
  local first = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
  if #first == 0 then return 0 end
  return math.max(0, tonumber(first[2]) - now)
end

local function wait_for(z, h, need, now)
  local items = redis.call('ZRANGE', z, 0, -1, 'WITHSCORES')
  local freed = 0
  for i = 1, #items, 2 do
    freed = freed + tonumber(redis.call('HGET', h, items[i]) or '0')
    if freed >= need then return math.max(0, tonumber(items[i + 1]) - now) end
  end
  return -1
end

local op = ARGV[1]
local now = tonumber(ARGV[2])
local member = ARGV[3]
local n = #KEYS / 2

if op == 'acquire' then
  -- per claim (5 args): limit, weight, lifetime_ms, spent (-1: not a budget; -2: unknown), keep_ms
  -- A budget counter whose spend is unknown here and that does not exist is not made: the reply
  -- {2, index...} asks the caller to rehydrate it and try again.
  local missing = {2}
  for i = 1, n do
    local h, a = KEYS[2 * i], 3 + (i - 1) * 5
    if tonumber(ARGV[a + 4]) == -2 and redis.call('HEXISTS', h, '~s') == 0 then missing[#missing + 1] = i - 1 end
  end
  if #missing > 1 then return missing end
  for i = 1, n do
    local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 3 + (i - 1) * 5
    purge(z, h, now)
    local spent = tonumber(ARGV[a + 4])
    if spent >= 0 then redis.call('HSETNX', h, '~s', spent) end
    local limit, weight = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    local u = used(h)
    local fits
    if spent ~= -1 and weight == 0 then fits = u < limit else fits = u + weight <= limit end
    if not fits then
      local retry = -1
      if spent == -1 and weight <= limit then retry = wait_for(z, h, u + weight - limit, now) end
      return {0, i - 1, u, retry}
    end
  end
  local out = {1}
  for i = 1, n do
    local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 3 + (i - 1) * 5
    local weight, lifetime, keep = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 5])
    drop(z, h, member)
    redis.call('ZADD', z, now + lifetime, member)
    redis.call('HSET', h, member, weight)
    redis.call('HINCRBY', h, '~t', weight)
    local ttl = math.max(lifetime, keep)
    if redis.call('PTTL', h) < ttl then
      redis.call('PEXPIRE', h, ttl)
      redis.call('PEXPIRE', z, ttl)
    end
    out[#out + 1] = used(h)
    out[#out + 1] = oldest(z, now)
  end
  return out
end

if op == 'settle' then
  -- per settlement (4 args): action (release | resize | spend), weight, spent (-1: none), keep_ms
  local out = {}
  for i = 1, n do
    local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 3 + (i - 1) * 4
    local action, weight = ARGV[a + 1], tonumber(ARGV[a + 2])
    purge(z, h, now)
    if action == 'release' then
      drop(z, h, member)
      out[i] = tonumber(redis.call('HGET', h, '~t') or '0')
    elseif action == 'resize' then
      local w = redis.call('HGET', h, member)
      if w then
        redis.call('HSET', h, member, weight)
        redis.call('HINCRBY', h, '~t', weight - tonumber(w))
      end
      out[i] = tonumber(redis.call('HGET', h, '~t') or '0')
    else
      local spent, keep = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
      if spent >= 0 then redis.call('HSETNX', h, '~s', spent) end
      drop(z, h, member)
      if spent == -2 and redis.call('HEXISTS', h, '~s') == 0 then
        out[i] = 0  -- lost: left for the rehydration, which reads this call's cost from the database
      else
        out[i] = redis.call('HINCRBY', h, '~s', weight)
        if redis.call('PTTL', h) < keep then
          redis.call('PEXPIRE', h, keep)
          redis.call('PEXPIRE', z, keep)
        end
      end
    end
  end
  return out
end

if op == 'usage' then
  -- per claim (1 arg): spent (-1: not a budget)
  local out = {}
  for i = 1, n do
    local z, h = KEYS[2 * i - 1], KEYS[2 * i]
    purge(z, h, now)
    local spent = tonumber(ARGV[3 + i])
    if spent >= 0 and redis.call('HEXISTS', h, '~s') == 0 then
      out[i] = used(h) + spent
    else
      out[i] = used(h)
    end
  end
  return out
end

return redis.error_reply('unknown operation ' .. op)
