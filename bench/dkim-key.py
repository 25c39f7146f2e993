#!/usr/bin/env python3
"""Creates and activates a DKIM key over JSON-RPC (bench set-up, run by e2e-hikyakud.sh's SETUP).
usage: dkim-key.py DOMAIN SELECTOR ALGORITHM   (env RPC_URL, HIKYAKU_ADMIN_PASSWORD)"""
import json, os, sys, urllib.request

url = os.environ["RPC_URL"]


def call(method, params, token=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    reply = json.load(urllib.request.urlopen(req, timeout=30))
    if "error" in reply:
        sys.exit(f"{method}: {reply['error']}")
    return reply["result"]


domain, selector, algorithm = sys.argv[1:4]
token = call("users.login", {"account": "admin", "password": os.environ["HIKYAKU_ADMIN_PASSWORD"]})["token"]
call("dkim.create", {"domain": domain, "selector": selector, "algorithm": algorithm}, token)
# No DNS in the benchmark: force the switch (signing costs the same either way).
print(json.dumps(call("dkim.activate", {"domain": domain, "selector": selector, "force": True}, token)["state"]))
