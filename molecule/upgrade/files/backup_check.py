"""Test tools for backup archives.

  committed ARCHIVE WRITER_LOG START   the archive's webui.db: integrity_check, and which chats the writer had
                                       confirmed before START (epoch seconds) are missing from it
  newer ARCHIVE VERSION OUT            a copy of ARCHIVE, with valid checksums, whose manifest says VERSION made it
"""

import hashlib
import io
import json
import sqlite3
import sys
import tarfile
import tempfile
from pathlib import Path


def committed(archive, writer_log, start):
    confirmed = [line.split("\t") for line in Path(writer_log).read_text().splitlines()]
    before = [chat_id for chat_id, when in confirmed if float(when) < float(start)]
    with tempfile.TemporaryDirectory() as folder, tarfile.open(archive) as tar:
        tar.extract("open-webui/webui.db", folder)
        db = sqlite3.connect(Path(folder) / "open-webui" / "webui.db")
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        present = {row[0] for row in db.execute("SELECT id FROM chat")}
    print(json.dumps({"integrity_check": integrity, "confirmed": len(confirmed), "confirmed_before_start": len(before),
                      "missing": [c for c in before if c not in present],
                      "confirmed_after_start_present": len([c for c, w in confirmed if float(w) >= float(start)
                                                            and c in present])}))


def newer(archive, version, out):
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["open_webui_version"] = version
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    digest = hashlib.sha256(Path(out).read_bytes()).hexdigest()
    Path(out + ".sha256").write_text(f"{digest}  {Path(out).name}\n")


if sys.argv[1] == "committed":
    committed(*sys.argv[2:5])
else:
    newer(*sys.argv[2:5])
