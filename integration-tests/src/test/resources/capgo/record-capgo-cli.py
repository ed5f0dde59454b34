#!/usr/bin/env python3
"""Records what the Capgo CLI sends: a loopback HTTP server that answers like a Capgo backend just enough for the
CLI to carry on, and writes one JSON line per request (method, path, query, headers, body, the answer given).

Usage: record-capgo-cli.py PORT OUT.jsonl   (then run the CLI with capacitor.config.json's local* keys on PORT)
Used once to make the recordings next to this file (docs/protocol.md, "The Capgo CLI"); not run by the tests.
"""
import json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUT = int(sys.argv[1]), sys.argv[2]
ORG, USER = "00000000-0000-4000-8000-0000000000aa", "00000000-0000-4000-8000-0000000000bb"
VERSION = {"id": 4242, "name": "1.0.1", "app_id": "com.example.selfhosted", "checksum": "00", "created_at":
           "2026-01-01T00:00:00Z", "deleted": False, "session_key": None, "external_url": None, "storage_provider": "r2",
           "min_update_version": None, "native_packages": None}
CHANNEL = {"id": 7, "name": "production", "app_id": "com.example.selfhosted", "public": True, "version": VERSION,
           "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "disable_auto_update": "major",
           "disable_auto_update_under_native": True, "ios": True, "android": True, "allow_device_self_set": False,
           "allow_emulator": True, "allow_dev": True, "allow_prod": True, "allow_device": True, "electron": True}
APP = {"app_id": "com.example.selfhosted", "name": "Capgo Vector App", "owner_org": ORG, "need_onboarding": False,
       "icon_url": "", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "last_version": "1.0.1"}
RPC = {"reject_access_due_to_2fa_for_app": False, "reject_access_due_to_2fa_for_org": False, "cli_check_permission": True,
       "request_actor_user_id": USER, "get_organization_cli_warnings": [], "is_allowed_action_org_action": True,
       "is_trial_org": 0, "has_usage_credits_org": True, "is_paying_org": True, "exist_app_versions": False,
       "get_user_id": USER, "is_allowed_capgkey": True, "get_org_perm_for_apikey": "perm_owner",
       "check_min_rights": True, "is_app_owner": True, "get_user_main_org_id_by_app_id": ORG,
       "get_orgs_v7": [{"gid": ORG, "name": "org", "role": "owner", "paying": True, "trial_left": 0, "can_use_more": True,
                        "is_canceled": False, "app_count": 1, "subscription_start": None, "subscription_end": None,
                        "management_email": "a@example.com", "is_yearly": False}],
       "get_orgs_v6": [{"gid": ORG, "name": "org", "role": "owner"}], "is_allowed_action_org": True,
       "get_app_versions": 4242, "get_identity_apikey_only": USER}


class Recorder(BaseHTTPRequestHandler):
    def answer(self, method):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = {"_binary_bytes": len(raw)}
        path, status, headers, answer = url.path, 200, {}, []
        if path.startswith("/rest/v1/rpc/"):
            answer = RPC.get(path.rsplit("/", 1)[1], True)
        elif path == "/functions/v1/files/config":
            answer = {"partialUpload": False, "TUSUpload": False, "partialUploadForced": False, "TUSUploadForced": False,
                      "maxUploadLength": 1073741824, "maxChunkSize": 103809024, "alertUploadSize": 20971520}
        elif path in ("/functions/v1/private/config",):
            answer = {}
        elif path.startswith("/functions/v1/app"):
            answer = APP if path.count("/") > 3 else [APP] if method == "GET" else dict(APP, **body)
        elif path == "/functions/v1/files/upload_link":
            answer = {"url": "http://localhost:%d/presigned-put/%s/%s.zip" % (PORT, body["app_id"], body["name"])}
        elif path.startswith("/presigned-put/"):
            answer = {"status": "ok"}
        elif path == "/functions/v1/channel":
            answer = {"id": 7, "public": True, "name": "production"} if method != "GET" else [CHANNEL]
        elif path == "/functions/v1/bundle":
            answer = [VERSION] if method == "GET" else {"status": "ok"}
        elif path == "/rest/v1/app_versions":
            answer = [dict(body or {}, id=4242)] if method == "POST" else [VERSION]
            status = 201 if method == "POST" else 200
        elif path == "/rest/v1/channels":
            single = "vnd.pgrst.object" in (self.headers.get("accept") or "")
            answer = (CHANNEL if single else [CHANNEL]) if "select" in url.query and "*" in url.query else []
        elif path == "/rest/v1/apps":
            answer = [] if method == "GET" else [APP]
            status = 201 if method == "POST" else 200
        elif path.startswith("/functions/v1/private/events"):
            answer = {"status": "ok"}
        else:
            answer = {"status": "ok"}
        data = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        with open(OUT, "a") as f:
            f.write(json.dumps({"method": method, "path": path, "query": urllib.parse.parse_qs(url.query),
                                "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                                "response_status": status, "response": answer}) + "\n")

    def log_message(self, *args):
        pass

for _m in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"):
    setattr(Recorder, "do_" + _m, lambda self, _m=_m: self.answer(_m))

ThreadingHTTPServer(("127.0.0.1", PORT), Recorder).serve_forever()
