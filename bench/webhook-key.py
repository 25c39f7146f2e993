#!/usr/bin/env python3
"""Creates an event webhook subscribed to every event type over JSON-RPC (bench set-up, run by
e2e-hikyakud.sh's SETUP). usage: webhook-key.py URL   (env RPC_URL, HIKYAKU_ADMIN_PASSWORD)"""
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


token = call("users.login", {"account": "admin", "password": os.environ["HIKYAKU_ADMIN_PASSWORD"]})["token"]
events = ["queued", "succeeded", "deferred", "failed", "bounced", "blocked", "unsubscribed", "complained"]
print(call("webhooks.create", {"url": sys.argv[1], "events": events}, token)["id"])
