"""Writes chats into Open WebUI as fast as it takes them, for a while, and logs each one it confirmed with the time
of the confirmation (the chat is committed by then). Arguments: base URL, bearer token, seconds, log file."""

import json
import sys
import time
import urllib.request

url, token, seconds, log = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
end = time.time() + seconds
with open(log, "w") as out:
    number = 0
    while time.time() < end:
        number += 1
        body = {"chat": {"title": f"Written during the backup {number}",
                         "messages": [{"role": "user", "content": f"message {number}"}]}}
        request = urllib.request.Request(f"{url}/api/v1/chats/new", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            chat_id = json.load(response)["id"]
        out.write(f"{chat_id}\t{time.time()}\n")
        out.flush()
