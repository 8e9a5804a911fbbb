-- wrk script: families asking anonymous questions. Each wrk thread holds
-- exactly one connection (run with -t N -c N): wrk's Lua state is per
-- thread, so one connection per thread keeps each GET and its POST paired.
-- Each question: GET /da/ask (a fresh session cookie and CSRF token, from an
-- address of its own via X-Forwarded-For, as nginx would pass it), then POST
-- the form with that token and cookie, as a browser sends it (Sec-Fetch-Site, no Referer). A 200 with a receipt code is an
-- acknowledged question; anything else is an error. done() prints one line
-- "BENCH {json}" with the counts and the POSTs' latencies (clock_gettime via
-- LuaJIT's ffi: wrk's own latency figures mix the GETs in).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local now_ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts)  -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  acks, fails, posts, lat = 0, 0, 0, {}
  state, token, started, cookie, sent_at, address = "get", nil, nil, nil, 0, nil
end

function request()
  if state == "get" then
    address = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
    return wrk.format("GET", "/da/ask", {["X-Forwarded-For"] = address, ["X-Forwarded-Proto"] = "https"})
  end
  posts = posts + 1
  local body = "csrf_token=" .. escape(token) .. "&started=" .. escape(started) .. "&website=&hospital="
    .. "&topics=economy&question=" .. escape("Hvad kan jeg faa hjaelp til? Spoergsmaal " .. posts .. " fra traad " .. id)
  sent_at = now_ms()
  return wrk.format("POST", "/da/ask", {
    ["X-Forwarded-For"] = address, ["X-Forwarded-Proto"] = "https", ["Cookie"] = cookie, ["Sec-Fetch-Site"] = "same-origin",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if state == "get" then
    token = body and body:match('name="csrf_token"[^>]-value="([^"]+)"')
    started = body and body:match('name="started"[^>]-value="([^"]+)"')
    local raw = headers["Set-Cookie"] or headers["set-cookie"]
    cookie = raw and raw:match("^([^;]+)")
    if status == 200 and token and started and cookie then
      state = "post"
    else
      fails = fails + 1
    end
    return
  end
  lat[#lat + 1] = now_ms() - sent_at
  if status == 200 and body and body:find('class="receipt-code"', 1, true) then
    acks = acks + 1
  else
    fails = fails + 1
  end
  state = "get"
end

function done(summary, latency, requests)
  local all, a, f = {}, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("acks")
    f = f + thread:get("fails")
    for _, ms in ipairs(thread:get("lat")) do all[#all + 1] = ms end
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return -1 end
    return all[math.max(1, math.ceil(#all * p / 100))]
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"acks": %d, "fails": %d, "posts": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, '
    .. '"socket_errors": %d}\n', a, f, #all, summary.duration / 1e6, pct(50), pct(99),
    e.connect + e.read + e.write + e.timeout))
end
