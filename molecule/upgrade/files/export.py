"""A canonical export of Open WebUI's users, chats, messages and files, read from its database (read-only): what a
backup, a restore or an upgrade must keep. Prints JSON; the argument is webui.db's path."""

import json
import sqlite3
import sys


def rows(db, query):
    try:
        return [dict(row) for row in db.execute(query)]
    except sqlite3.OperationalError:
        return None


def main(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    chats = []
    for chat in rows(db, "SELECT id, user_id, title, chat FROM chat ORDER BY id"):
        body = json.loads(chat.pop("chat") or "{}")
        chat["messages"] = [[m.get("role"), m.get("content")] for m in body.get("messages", [])]
        chats.append(chat)
    export = {
        "users": rows(db, "SELECT id, email, name, role FROM user ORDER BY id"),
        "auths": rows(db, "SELECT id, email, password FROM auth ORDER BY id"),
        "chats": chats,
        "chat_messages": rows(db, "SELECT id, chat_id, role, content FROM chat_message ORDER BY id"),
        "files": rows(db, "SELECT id, user_id, filename, hash FROM file ORDER BY id"),
    }
    json.dump(export, sys.stdout, sort_keys=True)


main(sys.argv[1])
