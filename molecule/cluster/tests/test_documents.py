"""A document uploaded and embedded through one replica is found by meaning through the other, and the other's chat
answers with it: its text in S3, its chunks' embeddings (the lab's all-MiniLM-L6-v2, served by the pool's Ollama) in
PostgreSQL with pgvector. The answer's sources are the passages Open WebUI put before the question (the lab's
270M-parameter model does not reliably repeat them: its words are printed, not checked)."""

from __future__ import annotations

import json
import time

import pytest
from describe import read_description
from test_replicas import CLIENT, REPLICAS, call, psql, sign_in, upload, url

MODEL = read_description()["model"]["network_name"]
DOCUMENT = "Internal memo. The code name of the cluster project is BLUEBIRD. The launch is planned for spring."


@pytest.fixture(autouse=True)
def only_on_the_open_webui_host(host):
    if host.backend.get_hostname() != CLIENT:
        pytest.skip(f"runs on {CLIENT}")


def test_a_document_embedded_through_one_replica_is_found_through_the_other(host, database):
    first, second = (url(host, replica) for replica in REPLICAS)
    token = sign_in(host, REPLICAS[0])
    uploaded = upload(host, first, token, "memo.txt", DOCUMENT)
    deadline = time.monotonic() + 180
    while True:
        status, text = call(host, "GET", f"{first}/api/v1/files/{uploaded['id']}/process/status", token)
        assert status == 200, text
        if json.loads(text)["status"] in ("completed", "failed"):
            break
        assert time.monotonic() < deadline, f"not processed after 180 s: {text}"
        time.sleep(2)
    assert json.loads(text)["status"] == "completed", text

    collection = f"file-{uploaded['id']}"
    chunks = int(psql(database, f"select count(*) from document_chunk where collection_name = '{collection}'"))
    assert chunks >= 1, "no chunk of the document in pgvector"

    # Found by meaning through the other replica, with a question worded otherwise (no "code name", no "cluster").
    status, text = call(host, "POST", f"{second}/api/v1/retrieval/query/doc", token,
                        {"collection_name": collection, "query": "Which secret name was given to the project?", "k": 1})
    assert status == 200, text
    assert "BLUEBIRD" in json.loads(text)["documents"][0][0], text

    # A chat on the other replica with the file attached as the web UI attaches it (the file's record with it).
    status, text = call(host, "GET", f"{second}/api/v1/files/{uploaded['id']}", token)
    assert status == 200, text
    status, text = call(host, "POST", f"{second}/api/chat/completions", token, {
        "model": MODEL, "stream": False, "max_tokens": 32,
        "messages": [{"role": "user", "content": "What is the code name of the cluster project?"}],
        "files": [{"type": "file", "id": uploaded["id"], "file": json.loads(text)}],
    })
    assert status == 200, text
    answer = json.loads(text)
    passages = [passage for source in answer["sources"] for passage in source["document"]]
    assert any("BLUEBIRD" in passage for passage in passages), answer["sources"]

    print(f"{chunks} chunk(s) in pgvector; found through {REPLICAS[1]} by a question worded otherwise; its chat "
          f"answered with {len(passages)} passage(s) of the memo before the question: "
          f"{answer['choices'][0]['message']['content']!r}")
