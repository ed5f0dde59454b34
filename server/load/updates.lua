-- wrk script: POST /updates with the plugin's info object, rotating over 1000 device ids and over the
-- channels (90% on the public channel, 10% self-assigned), so the decision, the snapshot lookup and the
-- device-sighting map see realistic variety.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json; charset=utf-8"
local bodies = {}
for i = 0, 999 do
  local channel = ""
  if i % 10 == 0 then channel = "channel-" .. ((i / 10) % 9 + 1) end
  bodies[i] = string.format('{"platform":"android","device_id":"00000000-0000-4000-8000-%012d","app_id":"com.example.load",'
    .. '"custom_id":"","version_build":"1.0.0","version_code":"1","version_os":"14","version_name":"1.0.0",'
    .. '"plugin_version":"8.51.23","is_emulator":false,"is_prod":true,"install_source":"google_play","defaultChannel":"%s"}', i, channel)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/updates", nil, bodies[n % 1000])
end
