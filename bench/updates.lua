-- wrk script of bench/run.sh: POST /updates with the plugin's info object (docs/protocol.md §1.4).
-- BENCH_MODE=fleet: each thread cycles through the same 10,000 distinct device ids (prepared once, so wrk spends
-- its time on the requests); BENCH_MODE=new: every request is a device the server has never seen (BENCH_RUN makes
-- the ids of a run unique), for the device-sighting cost.
local app = os.getenv("BENCH_APP") or "com.example.bench"
local key_id = os.getenv("BENCH_KEY_ID") or ""
local mode = os.getenv("BENCH_MODE") or "fleet"
local run = os.getenv("BENCH_RUN") or "00000000"
local devices = 10000
local headers = { ["Content-Type"] = "application/json" }

local function body(device_id)
  return '{"platform":"android","device_id":"' .. device_id .. '","app_id":"' .. app
    .. '","custom_id":"","version_build":"1.0.0","version_code":"1","version_os":"14","version_name":"1.0.0",'
    .. '"plugin_version":"8.51.23","is_emulator":false,"is_prod":true,"install_source":"google_play",'
    .. '"defaultChannel":"","key_id":"' .. key_id .. '"}'
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local prepared = {}
local n = 0
function init(args)
  if mode == "fleet" then
    for i = 1, devices do
      prepared[i] = wrk.format("POST", "/updates", headers,
        body(string.format("00000000-0000-4000-8000-%012d", i)))
    end
  end
end

function request()
  n = n + 1
  if mode == "fleet" then
    if n > devices then n = 1 end
    return prepared[n]
  end
  return wrk.format("POST", "/updates", headers,
    body(string.format("%s-%04d-4000-8000-%012d", run, tid or 0, n)))
end
