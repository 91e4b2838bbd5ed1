"""Backups of a selfhosted.genai host: Open WebUI's data, the secrets and the Ollama model inventory; on a cluster's
database host, dumps of its PostgreSQL databases (pg_dump) and its secrets.

Installed by the selfhosted.genai.backup role as /usr/local/sbin/selfhosted-genai-backup (with the host's
/usr/bin/python3 in its first line), which writes its configuration (JSON) and runs it from Ansible and from a
systemd timer. Python's standard library only: it runs on the managed host.

  create [--include-model-weights]   one archive now, then the retention rule
  verify ARCHIVE                     checksums of the archive and of every file in it
  restore ARCHIVE                    put the data of ARCHIVE back (Open WebUI must be stopped; on the
                                     database host, every replica disconnected)
  list                               the archives, newest first
  prune                              the retention rule alone

Each command prints one JSON object on stdout (what Ansible reads); progress and timings go to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path, PurePosixPath

DEFAULT_CONFIG = "/etc/selfhosted-genai/backup.json"
FORMAT = 1
# selfhosted-genai-<host>-<UTC time>.tar.gz, optionally .age; anything else in the folder is never touched.
NAME_PATTERN = re.compile(r"^selfhosted-genai-(?P<host>.+)-(?P<stamp>\d{8}T\d{6}Z)\.tar\.gz(?P<age>\.age)?$")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# The SQLite databases of Open WebUI's data folder, copied with SQLite's online backup (a plain copy of a
# database in WAL mode that is being written is not a backup).
DATABASES = ("webui.db", "vector_db/chroma.sqlite3")
# What else of the data folder is kept; cache/ holds only what Open WebUI can make again.
DATA_TREES = ("vector_db", "uploads")
# SQLite's companions of a database, removed with it on restore.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A failure with a message for a person: what went wrong and what to do."""


started = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


# --- pure logic (tests/unit) -------------------------------------------------------------------------------------


def archive_time(name: str) -> dt.datetime | None:
    match = NAME_PATTERN.match(name)
    if not match:
        return None
    return dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.timezone.utc)


def archives_to_keep(names: list[str], keep_daily: int, keep_weekly: int, now: dt.datetime) -> set[str]:
    """Every archive of the last 24 hours (a backup taken before an upgrade survives the next one that day), and
    the newest archive of each of the newest keep_daily days and of each of the newest keep_weekly ISO weeks.
    Names that are not archives are kept (never deleted)."""
    dated = sorted(((archive_time(n), n) for n in names if archive_time(n)), reverse=True)
    keep = {n for n in names if archive_time(n) is None}
    keep |= {name for when, name in dated if now - when < dt.timedelta(hours=24)}
    for limit, period in ((keep_daily, lambda t: t.date()), (keep_weekly, lambda t: t.isocalendar()[:2])):
        seen: list = []
        for when, name in dated:
            key = period(when)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(name)
    return keep


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("-")[0].split("+")[0])[:3])


def safe_member(member: tarfile.TarInfo) -> bool:
    """Only plain files and folders below the extraction folder (Debian 12's Python has no tarfile filters)."""
    path = PurePosixPath(member.name)
    return (member.isfile() or member.isdir()) and not path.is_absolute() and ".." not in path.parts


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the host ----------------------------------------------------------------------------------------------------


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as error:
        raise BackupError(f"{argv[0]} is not installed on this host") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{' '.join(argv[:3])} failed: {error.stderr.strip() or error.stdout.strip()}") from error


# --- PostgreSQL (a cluster's database host) ----------------------------------------------------------------------


def as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """A PostgreSQL client as the postgres superuser (peer authentication on the local socket)."""
    return run(["runuser", "-u", "postgres", "--"] + argv, **kwargs)


def postgresql_query(database: str, query: str) -> str:
    return as_postgres(["psql", "-XAt", "-d", database, "-c", query]).stdout.strip()


def dump_database(database: str, target: Path) -> dict:
    """pg_dump's custom format (compressed, restorable object by object), streamed into a root-only file; then its
    table of contents is read back, which fails on a truncated dump."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        try:
            subprocess.run(["runuser", "-u", "postgres", "--", "pg_dump", "--format=custom", database],
                           stdout=stream, stderr=subprocess.PIPE, check=True)
        except FileNotFoundError as error:
            raise BackupError("pg_dump is not installed on this host") from error
        except subprocess.CalledProcessError as error:
            raise BackupError(f"pg_dump {database} failed: {error.stderr.decode().strip()}") from error
    with target.open("rb") as stream:
        entries = run(["pg_restore", "--list"], stdin=stream).stdout
    tables = sum(1 for line in entries.splitlines() if " TABLE DATA " in line)
    return {"size": target.stat().st_size, "tables": tables}


def restore_database(database: str, dump: Path) -> None:
    """Refused while another session uses the database (Open WebUI replicas write there); then one transaction:
    everything the database's owner owns is dropped and made again from the dump, so a failure leaves the database
    as it was. Dropping by owner, not object by object as the dump lists them (pg_restore --clean), also empties a
    schema that a newer release migrated: its constraints and tables may depend on each other in ways the older
    dump does not know."""
    others = postgresql_query(
        database, f"select count(*) from pg_stat_activity where datname = '{database}' and pid <> pg_backend_pid()")
    if int(others or 0) > 0:
        raise BackupError(f"{others} session(s) use the database {database}: stop every Open WebUI replica "
                          "(docker stop on each Open WebUI host), then restore")
    owner, superuser = postgresql_query(
        database, "select r.rolname, r.rolsuper from pg_database d join pg_roles r on r.oid = d.datdba "
                  "where d.datname = current_database()").split("|")
    if superuser == "t":
        raise BackupError(f"the database {database} is owned by the superuser {owner}: a restore empties what the "
                          "database's owner owns, which must be an ordinary role (as the postgresql role creates)")
    quoted_owner = '"' + owner.replace('"', '""') + '"'
    with dump.open("rb") as stream, tempfile.TemporaryFile() as errors:
        script = subprocess.Popen(["pg_restore", "--file=-"], stdin=stream, stdout=subprocess.PIPE, stderr=errors)
        session = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            session.stdin.write(f"BEGIN;\nDROP OWNED BY {quoted_owner};\n".encode())
            shutil.copyfileobj(script.stdout, session.stdin)
            # Committed only once pg_restore has written the whole dump: a session that ends inside its
            # transaction (a failed statement stops psql, a truncated dump stops pg_restore) is rolled back.
            if script.wait() == 0:
                session.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            pass  # psql stopped at a failed statement: its message is in errors
        finally:
            script.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                session.stdin.close()
        restored = session.wait() == 0 and script.wait() == 0
        if not restored:
            errors.seek(0)
            raise BackupError(f"restoring the database {database} failed, it is as it was: "
                              f"{errors.read().decode(errors='replace').strip()[-2000:]}")


def docker_inspect(kind: str, name: str) -> dict | None:
    result = subprocess.run(["docker", kind, "inspect", name], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    return json.loads(result.stdout)[0]


def volume_path(name: str) -> Path:
    volume = docker_inspect("volume", name)
    if volume is None:
        raise BackupError(f"the Docker volume {name} does not exist: is the stack deployed (site.yml)?")
    return Path(volume["Mountpoint"])


def container_url(name: str, network: str, port: int) -> str | None:
    """The container's address on the private network if it runs (the host routes there; nothing is published)."""
    container = docker_inspect("container", name)
    if not container or not container["State"].get("Running"):
        return None
    address = container["NetworkSettings"]["Networks"].get(network, {}).get("IPAddress")
    return f"http://{address}:{port}" if address else None


def http_json(url: str, body: dict | None = None, timeout: float = 30) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


def tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


# --- create ------------------------------------------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> str:
    """SQLite's online backup: a consistent copy while Open WebUI writes; checked before it is kept."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the copy of {source} fails SQLite's integrity check: {verdict}")
    return verdict


def ollama_inventory(config: dict) -> dict:
    url = container_url(config["ollama_container"], config["network"], 11434)
    if url is None:
        return {"error": f"the container {config['ollama_container']} does not run"}
    try:
        version = http_json(f"{url}/api/version")["version"]
        models = []
        for model in http_json(f"{url}/api/tags")["models"]:
            shown = http_json(f"{url}/api/show", {"model": model["name"]})
            models.append({
                "name": model["name"],
                "digest": model["digest"],
                "size": model["size"],
                "details": model.get("details", {}),
                # What makes a created model: enough to create it again on its base.
                "definition": {key: shown.get(key) for key in ("modelfile", "parameters", "template", "system")
                               if shown.get(key)},
            })
    except (OSError, ValueError, KeyError) as error:
        return {"error": f"Ollama at {url} did not answer: {error}"}
    return {"version": version, "models": models}


def database_is_external(config: dict) -> bool:
    """Whether the Open WebUI container runs on PostgreSQL (DATABASE_URL in its environment): a replica of a cluster,
    whose volume holds no database."""
    container = docker_inspect("container", config["open_webui_container"]) or {}
    return any(entry.startswith("DATABASE_URL=") for entry in container.get("Config", {}).get("Env") or [])


def open_webui_version(config: dict) -> str:
    if not config["open_webui_container"]:
        return "unknown"
    url = container_url(config["open_webui_container"], config["network"], 8080)
    if url is not None:
        try:
            return http_json(f"{url}/api/version", timeout=10)["version"]
        except (OSError, ValueError, KeyError):
            pass
    container = docker_inspect("container", config["open_webui_container"])
    labels = (container or {}).get("Config", {}).get("Labels") or {}
    return labels.get("org.opencontainers.image.version", "unknown")


def create(config: dict, include_weights: bool) -> dict:
    backup_dir = Path(config["backup_dir"])
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # No Open WebUI volume on a database host; an Open WebUI whose database is PostgreSQL keeps none in it.
    data = volume_path(config["open_webui_volume"]) if config["open_webui_volume"] else None
    if data and not (data / "webui.db").is_file() and not database_is_external(config):
        raise BackupError(f"{data}/webui.db does not exist: Open WebUI has not started on this volume yet")
    models = volume_path(config["ollama_volume"]) / "models" if include_weights and data else None
    databases = config.get("postgresql_databases", [])

    needed = sum(tree_bytes(data / tree) for tree in ("webui.db",) + DATA_TREES) if data else 0
    needed += sum(int(postgresql_query(d, f"select pg_database_size('{d}')") or 0) for d in databases)
    needed += sum(tree_bytes(Path(d)) for d in config["secrets_dirs"]) + (tree_bytes(models) if models else 0)
    # The staged copies and the archive side by side, at worst uncompressed; encryption makes a third copy.
    factor = 3 if config["age_recipients"] else 2
    if free_bytes(backup_dir) < needed * factor:
        raise BackupError(
            f"{backup_dir} has {free_bytes(backup_dir) // 2**20} MiB free, a backup needs about "
            f"{needed * factor // 2**20} MiB: free space there, set backup_dir elsewhere or lower the retention")

    now = dt.datetime.now(dt.timezone.utc)
    host = config.get("host_name") or socket.gethostname()
    name = f"selfhosted-genai-{host}-{now.strftime(STAMP_FORMAT)}.tar.gz"
    manifest = {
        "format": FORMAT,
        "host": host,
        "created_at": now.isoformat(timespec="seconds"),
        "open_webui_version": open_webui_version(config),
        "include_model_weights": include_weights,
        "secrets_dirs": {},
        "files": {},
        "integrity_check": {},
        "postgresql": {},
    }
    what = f"Open WebUI {manifest['open_webui_version']} ({data})" if data else f"PostgreSQL ({', '.join(databases)})"
    progress(f"backup of {what} into {backup_dir}/{name}")
    with tempfile.TemporaryDirectory(prefix=".partial-", dir=backup_dir) as staging_name:
        staging = Path(staging_name)
        for database in DATABASES if data else ():
            if (data / database).is_file():
                manifest["integrity_check"][database] = copy_database(data / database, staging / "open-webui" / database)
                progress(f"{database}: online copy, integrity_check ok")
        for database in databases:
            dumped = dump_database(database, staging / "postgresql" / f"{database}.dump")
            manifest["postgresql"][database] = dumped
            progress(f"PostgreSQL {database}: dumped, {dumped['tables']} tables, {dumped['size'] // 1024} KiB")
        if data:
            manifest["ollama"] = ollama_inventory(config)
            if "error" in manifest["ollama"]:
                progress(f"warning: no model inventory: {manifest['ollama']['error']}")
            else:
                progress(f"Ollama {manifest['ollama']['version']}: {len(manifest['ollama']['models'])} model(s) listed")
            (staging / "ollama").mkdir()
            (staging / "ollama" / "inventory.json").write_text(json.dumps(manifest["ollama"], indent=2))

        members: list[tuple[Path, str]] = [(p, str(p.relative_to(staging))) for p in sorted(staging.rglob("*"))
                                           if p.is_file()]
        for tree in DATA_TREES if data else ():
            for path in sorted((data / tree).rglob("*")) if (data / tree).is_dir() else []:
                relative = path.relative_to(data)
                if path.is_file() and not path.is_symlink() and str(relative) not in DATABASES \
                        and not str(relative).endswith(SQLITE_COMPANIONS):
                    members.append((path, f"open-webui/{relative}"))
        for index, folder in enumerate(config["secrets_dirs"]):
            key = f"secrets/{index}"
            manifest["secrets_dirs"][key] = folder
            for path in sorted(Path(folder).rglob("*")) if Path(folder).is_dir() else []:
                if path.is_file() and not path.is_symlink():
                    members.append((path, f"{key}/{path.relative_to(folder)}"))
        if models:
            for path in sorted(models.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members.append((path, f"ollama/models/{path.relative_to(models)}"))

        partial = staging / name
        with tarfile.open(partial, "w:gz", compresslevel=3) as archive:
            for path, arcname in members:
                with path.open("rb") as stream:
                    info = archive.gettarinfo(fileobj=stream, arcname=arcname)
                    info.uid = info.gid = 0
                    info.uname = info.gname = "root"
                    # Hashed while it is written: the checksum is that of the copy, even of a file being changed.
                    digest = hashlib.sha256()
                    archive.addfile(info, HashingReader(stream, digest))
                manifest["files"][arcname] = {"sha256": digest.hexdigest(), "size": info.size}
            raw = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(raw), int(now.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(raw))
        progress(f"{len(members)} files written, {partial.stat().st_size // 1024} KiB compressed")

        final = backup_dir / name
        if config["age_recipients"]:
            final = backup_dir / f"{name}.age"
            argv = ["age", "--encrypt", "--output", str(partial.with_suffix(".age"))]
            for recipient in config["age_recipients"]:
                argv += ["--recipient", recipient]
            run(argv + [str(partial)])
            partial = partial.with_suffix(".age")
            progress(f"encrypted to {len(config['age_recipients'])} age recipient(s)")
        checksum = sha256_file(partial)
        os.chmod(partial, 0o600)
        os.replace(partial, final)
    checksum_file = final.with_name(final.name + ".sha256")
    checksum_file.write_text(f"{checksum}  {final.name}\n")
    os.chmod(checksum_file, 0o600)

    copied = copy_elsewhere(config, [final, checksum_file])
    pruned = prune(config, protect=final.name)
    progress(f"done: {final} ({final.stat().st_size // 1024} KiB)")
    return {"archive": str(final), "sha256": checksum, "size": final.stat().st_size, "copied_to": copied,
            "pruned": pruned["deleted"], "manifest": {k: v for k, v in manifest.items() if k != "files"},
            "files": len(manifest["files"]), "seconds": round(time.monotonic() - started, 1)}


class HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, stream, digest):
        self.stream, self.digest = stream, digest

    def read(self, size=-1):
        block = self.stream.read(size)
        self.digest.update(block)
        return block


def copy_elsewhere(config: dict, files: list[Path]) -> str | None:
    target = config.get("copy_to") or ""
    if not target:
        return None
    if target.startswith("/"):
        Path(target).mkdir(mode=0o700, parents=True, exist_ok=True)
        for path in files:
            shutil.copy2(path, Path(target) / path.name)
    else:
        run(["rsync", "--archive", "--chmod=F600"] + [str(p) for p in files] + [target.rstrip("/") + "/"])
    progress(f"copied to {target}")
    return target


# --- list, prune -------------------------------------------------------------------------------------------------


def archives(config: dict) -> list[Path]:
    folder = Path(config["backup_dir"])
    found = [p for p in folder.iterdir() if archive_time(p.name)] if folder.is_dir() else []
    return sorted(found, key=lambda p: archive_time(p.name), reverse=True)


def prune(config: dict, protect: str | None = None) -> dict:
    names = [p.name for p in archives(config)]
    now = dt.datetime.now(dt.timezone.utc)
    keep = archives_to_keep(names, config["keep_daily"], config["keep_weekly"], now) | ({protect} if protect else set())
    deleted = []
    for name in names:
        if name not in keep:
            for path in (Path(config["backup_dir"]) / name, Path(config["backup_dir"]) / f"{name}.sha256"):
                path.unlink(missing_ok=True)
            deleted.append(name)
    if deleted:
        progress(f"retention ({config['keep_daily']} daily, {config['keep_weekly']} weekly): deleted {', '.join(deleted)}")
    return {"kept": sorted(keep & set(names), reverse=True), "deleted": deleted}


# --- verify, restore ---------------------------------------------------------------------------------------------


def resolve(config: dict, archive: str) -> Path:
    if archive in ("", "latest"):
        found = archives(config)
        if not found:
            raise BackupError(f"there is no backup in {config['backup_dir']}: run playbooks/backup.yml first")
        return found[0]
    path = Path(archive) if "/" in archive else Path(config["backup_dir"]) / archive
    if not path.is_file():
        raise BackupError(f"the backup {path} does not exist; `selfhosted-genai-backup list` shows those there are")
    return path


def open_archive(config: dict, path: Path, workdir: Path) -> tarfile.TarFile:
    checksum_file = path.with_name(path.name + ".sha256")
    if not checksum_file.is_file():
        raise BackupError(f"{checksum_file} is missing: the archive cannot be checked, so it is not used")
    expected = checksum_file.read_text().split()[0]
    actual = sha256_file(path)
    if actual != expected:
        raise BackupError(f"{path} is damaged: its SHA-256 is {actual}, {checksum_file.name} says {expected}. "
                          "Restore another backup (or its copy from backup_copy_to).")
    if path.name.endswith(".age"):
        identity = config.get("age_identity_file") or ""
        if not identity:
            raise BackupError(f"{path.name} is encrypted: set backup_age_identity_file to the age identity that "
                              "decrypts it")
        plain = workdir / path.name.removesuffix(".age")
        run(["age", "--decrypt", "--identity", identity, "--output", str(plain), str(path)])
        path = plain
    return tarfile.open(path, "r:gz")


def refuse_newer(manifest: dict, path: Path, running: str | None) -> None:
    made_by = manifest.get("open_webui_version", "unknown")
    if running and version_tuple(made_by) > version_tuple(running):
        raise BackupError(
            f"{path.name} was made by Open WebUI {made_by}, newer than the {running} in use: its database has "
            f"migrations {running} does not know. Deploy Open WebUI {made_by} or newer (open_webui_image), "
            "then restore.")


def verify(config: dict, archive: str, extract_to: Path | None = None, running: str | None = None) -> dict:
    path = resolve(config, archive)
    with tempfile.TemporaryDirectory(prefix=".verify-", dir=config["backup_dir"]) as workdir, open_archive(config, path, Path(workdir)) as tar:
        members = tar.getmembers()
        unsafe = [m.name for m in members if not safe_member(m)]
        if unsafe:
            raise BackupError(f"{path} holds entries outside its folder or links: {unsafe[:3]}")
        manifest_member = next((m for m in members if m.name == "manifest.json"), None)
        if manifest_member is None:
            raise BackupError(f"{path} has no manifest.json: it is not a selfhosted.genai backup")
        manifest = json.load(tar.extractfile(manifest_member))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} has format {manifest.get('format')}; this tool reads format {FORMAT}")
        refuse_newer(manifest, path, running)
        listed = set(manifest["files"])
        present = {m.name for m in members if m.isfile()} - {"manifest.json"}
        if listed != present:
            raise BackupError(f"{path} does not hold what its manifest lists: missing "
                              f"{sorted(listed - present)[:3]}, unlisted {sorted(present - listed)[:3]}")
        for member in members:
            if not member.isfile() or member.name == "manifest.json":
                continue
            digest = hashlib.sha256()
            stream = tar.extractfile(member)
            target = None
            if extract_to is not None:
                target = extract_to / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target = target.open("wb")
            for block in iter(functools.partial(stream.read, 1 << 20), b""):
                digest.update(block)
                if target:
                    target.write(block)
            if target:
                target.close()
                os.chmod(extract_to / member.name, member.mode & 0o777)
            if digest.hexdigest() != manifest["files"][member.name]["sha256"]:
                raise BackupError(f"{member.name} in {path} does not match its checksum in the manifest")
    progress(f"{path.name}: {len(listed)} files match their checksums")
    return {"archive": str(path), "manifest": {k: v for k, v in manifest.items() if k != "files"},
            "files": len(listed)}


def replace_tree(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    if source.exists():
        shutil.copytree(source, target) if source.is_dir() else shutil.copy2(source, target)


def restore(config: dict, archive: str, running: str | None) -> dict:
    container = docker_inspect("container", config["open_webui_container"]) if config["open_webui_container"] else None
    if container and container["State"].get("Running"):
        raise BackupError(f"the container {config['open_webui_container']} runs: stop it before a restore "
                          "(playbooks/restore.yml does)")
    data = volume_path(config["open_webui_volume"]) if config["open_webui_volume"] else None
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=config["backup_dir"]) as staging_name:
        staging = Path(staging_name)
        checked = verify(config, archive, extract_to=staging, running=running)
        manifest = checked["manifest"]
        dumps = manifest.get("postgresql", {})
        if bool(dumps) != bool(config.get("postgresql_databases")):
            raise BackupError(f"{checked['archive']} holds {'PostgreSQL dumps' if dumps else 'no PostgreSQL dump'}"
                              f" and this host {'has no' if dumps else 'has a'} database to restore: restore it on "
                              "the host that made it")
        for database in dumps:
            restore_database(database, staging / "postgresql" / f"{database}.dump")
            progress(f"PostgreSQL {database} put back ({dumps[database]['tables']} tables)")
        if data:
            for database in DATABASES:
                for suffix in SQLITE_COMPANIONS:
                    (data / f"{database}{suffix}").unlink(missing_ok=True)
            for tree in ("webui.db",) + DATA_TREES:
                replace_tree(staging / "open-webui" / tree, data / tree)
            progress(f"Open WebUI data put back into {data}")
        for key, folder in manifest["secrets_dirs"].items():
            if (staging / key).is_dir():
                Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
                for path in (staging / key).rglob("*"):
                    if path.is_file():
                        target = Path(folder) / path.relative_to(staging / key)
                        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                        shutil.copy2(path, target)
                        os.chmod(target, 0o600)
        if (staging / "ollama" / "models").is_dir():
            models = volume_path(config["ollama_volume"]) / "models"
            shutil.copytree(staging / "ollama" / "models", models, dirs_exist_ok=True)
            progress(f"model weights put back into {models}")
    return {"archive": checked["archive"], "manifest": manifest, "files": checked["files"],
            "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="selfhosted-genai-backup", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create").add_argument("--include-model-weights", action="store_true", default=None)
    for name in ("verify", "restore"):
        command = commands.add_parser(name)
        command.add_argument("archive", help="a file name, a path, or latest")
        command.add_argument("--refuse-newer-than", metavar="VERSION",
                             help="fail if the backup was made by an Open WebUI newer than VERSION (the one in use)")
    commands.add_parser("list")
    commands.add_parser("prune")
    args = parser.parse_args(argv)
    os.umask(0o077)
    try:
        config = json.loads(Path(args.config).read_text())
        if args.command == "create":
            weights = config["include_model_weights"] if args.include_model_weights is None else True
            result = create(config, weights)
        elif args.command == "verify":
            result = verify(config, args.archive, running=args.refuse_newer_than)
        elif args.command == "restore":
            result = restore(config, args.archive, args.refuse_newer_than)
        elif args.command == "list":
            result = {"archives": [{"archive": str(p), "size": p.stat().st_size} for p in archives(config)]}
        else:
            result = prune(config)
    except (BackupError, OSError, ValueError, sqlite3.Error, tarfile.TarError, json.JSONDecodeError) as error:
        print(json.dumps({"failed": True, "msg": str(error)}))
        print(f"selfhosted-genai-backup: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
