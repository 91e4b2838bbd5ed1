"""Asks Open WebUI for a chat answer again and again until a stop file appears, finding the container's address
each time (an upgrade recreates it), and prints the downtime: from the last good answer before the first failure
to the first good answer after the last one. Arguments: bearer token, model, stop file."""

import json
import os
import subprocess
import sys
import time
import urllib.request

token, model, stop = sys.argv[1:4]
answers = []
while not os.path.exists(stop):
    began = time.time()
    try:
        address = subprocess.run(
            ["docker", "inspect", "-f", "{{ .NetworkSettings.Networks.genai.IPAddress }}", "open-webui"],
            capture_output=True, text=True, check=True).stdout.strip()
        body = {"model": model, "messages": [{"role": "user", "content": "The capital of France is"}], "stream": False}
        request = urllib.request.Request(f"http://{address}:8080/api/chat/completions", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            good = bool(json.load(response)["choices"][0]["message"]["content"].strip())
    except Exception:
        good = False
    answers.append((time.time(), good))
    if not good:
        time.sleep(max(0.0, 1.0 - (time.time() - began)))
failures = [when for when, good in answers if not good]
if not failures:
    print(json.dumps({"answers": len(answers), "failures": 0, "downtime_s": 0.0}))
else:
    before = [when for when, good in answers if good and when < failures[0]]
    after = [when for when, good in answers if good and when > failures[-1]]
    print(json.dumps({
        "answers": len(answers), "failures": len(failures),
        "last_good_before": before[-1] if before else None, "first_good_after": after[0] if after else None,
        "downtime_s": round(after[0] - before[-1], 1) if before and after else None,
    }))
