#!/usr/bin/env python3
"""A minimal adapter for the Updraft conformance kit (docs/conformance.md).

It shows the shape of every adapter: read one JSON request per line on stdin, answer one JSON object per line on
stdout with the same "id", report a refusal as {"ok": false, "error": ..., "message": ...}, exit when stdin closes.

The "port" here is a toy written for this example: it sends the info object on every move to the foreground,
queues stats and sends them as one JSON array per step, keeps its device id and stats queue in the state folder,
and never installs anything (every update answer is ignored). So it passes the scenarios about update checks and
the device id and fails the rest; run it with

    ./updraft conformance run --client "python3 conformance/examples/minimal_adapter.py" \
        --scenario 'install/every-foreground-checks' --scenario 'info/*' --scenario 'kind/up-to-date'

Replace the Port class with calls into your port's test harness; keep the loop.
"""
import json
import os
import sys
import time
import urllib.request
import uuid


class Unsupported(Exception):
    pass


class Port:
    def __init__(self, req):
        self.cfg = req
        self.state_dir = req["stateDir"]
        os.makedirs(self.state_dir, exist_ok=True)
        id_file = os.path.join(self.state_dir, "device_id")
        if not os.path.exists(id_file):
            with open(id_file, "w") as f:
                f.write(str(uuid.uuid4()).lower())
        with open(id_file) as f:
            self.device_id = f.read().strip()
        self.offset_ms = 0  # virtual time: "advance" moves this clock
        self.queue = []

    def now(self):
        return int(time.time() * 1000) + self.offset_ms

    def info(self):
        c = self.cfg
        return {
            "platform": c["platform"], "device_id": self.device_id, "app_id": c["appId"],
            "custom_id": "", "version_build": c["nativeVersion"], "version_code": "1", "version_os": "14",
            "version_name": "builtin", "plugin_version": c["pluginVersion"], "is_emulator": False,
            "is_prod": True, "defaultChannel": "",
        }

    def post(self, url, body):
        data = json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.cfg["options"].get("responseTimeout", 20)) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except OSError:
            return 0, b""

    def stat(self, action):
        self.queue.append(dict(self.info(), action=action, version_name="builtin", old_version_name="",
                               timestamp=self.now()))

    def flush(self):
        if self.queue:
            status, _ = self.post(self.cfg["statsUrl"], self.queue)
            if 200 <= status < 300 or 400 <= status < 500 and status not in (408, 429):
                self.queue = []

    def foreground(self):
        self.stat("app_moved_to_foreground")
        self.post(self.cfg["updateUrl"], self.info())  # this toy never installs what it is offered
        self.flush()

    def handle(self, cmd, req):
        if cmd == "launch":
            self.stat("app_launch_start")
            self.foreground()
        elif cmd == "foreground":
            self.foreground()
        elif cmd == "background":
            self.stat("app_moved_to_background")
            self.flush()
        elif cmd == "kill":
            pass
        elif cmd == "advance":
            self.offset_ms += int(req.get("ms", 0))
        elif cmd == "state":
            builtin = {"id": "builtin", "version": "builtin", "status": "success"}
            return {"current": builtin, "next": None, "bundles": [], "installedTreeHash": None}
        else:
            raise Unsupported("this example does not implement '%s'" % cmd)
        return {}


def main():
    port = None
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        answer = {"id": req.get("id")}
        try:
            cmd = req.get("cmd")
            if cmd == "init":
                port = Port(req)
                result = {}
            elif port is None:
                raise Unsupported("'%s' before 'init'" % cmd)
            else:
                result = port.handle(cmd, req)
            answer.update(result, ok=True)
        except Unsupported as e:
            answer.update(ok=False, error="unsupported", message=str(e))
        except Exception as e:  # a bug in the adapter: say so, keep serving
            answer.update(ok=False, error="adapter_error", message=repr(e))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
