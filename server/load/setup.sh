#!/usr/bin/env bash
# Registers the load-test app on a running server: 10 channels and 100 bundles (unencrypted, external URLs).
# Usage: setup.sh BASE_URL ADMIN_KEY
set -euo pipefail
BASE=${1:?base url, e.g. http://127.0.0.1:8080}
KEY=${2:?admin api key}
APP=com.example.load
j() { curl -sf -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
j -d "{\"app_id\":\"$APP\"}" "$BASE/api/v1/apps"
SUM=3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7
for i in $(seq 1 100); do
  j -d "{\"version\":\"1.0.$i\",\"external_url\":\"https://cdn.example.com/load/1.0.$i.zip\",\"checksum\":\"$SUM\"}" "$BASE/api/v1/apps/$APP/bundles"
done
j -d '{"name":"production","bundle":"1.0.100","public":true}' "$BASE/api/v1/apps/$APP/channels"
for i in $(seq 1 9); do
  j -d "{\"name\":\"channel-$i\",\"bundle\":\"1.0.$((i * 10))\",\"allow_device_self_set\":true}" "$BASE/api/v1/apps/$APP/channels"
done
echo "load app $APP ready: 10 channels, 100 bundles"
