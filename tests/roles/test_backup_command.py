"""The pure logic of the backup command (roles/backup/files/selfhosted_genai_backup.py): which archives the
retention keeps, which backups a running Open WebUI may not read, which archive entries are refused. Its work on
real data (online copies, checksums, restore) is tested by the Molecule scenario upgrade."""

from __future__ import annotations

import datetime as dt
import importlib.util
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "backup" / "files" / "selfhosted_genai_backup.py"
spec = importlib.util.spec_from_file_location("selfhosted_genai_backup", SCRIPT)
backup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(backup)


# A week after the archives below: none is of the last 24 hours unless a test says so.
LATER = dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc)


def name(stamp: str, suffix: str = ".tar.gz") -> str:
    return f"selfhosted-genai-chat-{stamp}{suffix}"


def test_archive_names_carry_their_time_and_nothing_else_is_an_archive():
    assert backup.archive_time(name("20261126T033000Z")).isoformat() == "2026-11-26T03:30:00+00:00"
    assert backup.archive_time(name("20261126T033000Z", ".tar.gz.age")) is not None
    for other in ("notes.txt", name("20261126T033000Z") + ".sha256", "selfhosted-genai-x-2026.tar.gz"):
        assert backup.archive_time(other) is None


def test_retention_keeps_the_newest_of_each_day_and_week():
    # Two a day from Monday 2026-11-02 to Thursday 2026-11-26 (ISO weeks 45 to 48).
    names = [name(f"202611{day:02d}T{hour:02d}0000Z") for day in range(2, 27) for hour in (3, 15)]
    kept = backup.archives_to_keep(names, keep_daily=3, keep_weekly=2, now=LATER)
    assert sorted(kept) == sorted([
        name("20261126T150000Z"), name("20261125T150000Z"), name("20261124T150000Z"),  # the last 3 days
        name("20261122T150000Z"),  # the newest of week 47 (week 48's newest is the 26th's, already kept)
    ])


def test_retention_deletes_only_the_oldest_and_never_other_files():
    names = [name(f"2026110{day}T030000Z") for day in range(1, 6)] + ["README", "partial.tmp"]
    kept = backup.archives_to_keep(names, keep_daily=3, keep_weekly=0, now=LATER)
    assert sorted(set(names) - kept) == [name("20261101T030000Z"), name("20261102T030000Z")]


def test_retention_keeps_every_archive_of_the_last_24_hours():
    # Four backups today (the nightly one and three before upgrades), the newest of yesterday, and last week's.
    today = [name(f"20261126T{hour:02d}0000Z") for hour in (3, 10, 11, 12)]
    names = today + [name("20261125T030000Z"), name("20261119T030000Z")]
    now = dt.datetime(2026, 11, 26, 13, tzinfo=dt.timezone.utc)
    kept = backup.archives_to_keep(names, keep_daily=1, keep_weekly=0, now=now)
    # Yesterday's 03:00 archive is 34 hours old and not the newest of the one day kept: it goes, so does last week's.
    assert sorted(kept) == sorted(today)


@pytest.mark.parametrize(("made_by", "running", "refused"), [
    ("0.12.4", "0.11.4", True),
    ("0.11.4", "0.12.4", False),
    ("0.12.4", "0.12.4", False),
    ("0.12.10", "0.12.9", True),
    ("unknown", "0.12.4", False),
])
def test_a_backup_from_a_newer_open_webui_is_refused(made_by, running, refused):
    archive = Path(name("20261126T033000Z"))
    if refused:
        with pytest.raises(backup.BackupError, match=f"made by Open WebUI {made_by}, newer than the {running}"):
            backup.refuse_newer({"open_webui_version": made_by}, archive, running)
    else:
        backup.refuse_newer({"open_webui_version": made_by}, archive, running)


@pytest.mark.parametrize(("entry", "kind", "safe"), [
    ("open-webui/webui.db", tarfile.REGTYPE, True),
    ("open-webui/uploads", tarfile.DIRTYPE, True),
    ("/etc/shadow", tarfile.REGTYPE, False),
    ("open-webui/../../etc/cron.d/x", tarfile.REGTYPE, False),
    ("open-webui/link", tarfile.SYMTYPE, False),
    ("open-webui/hard", tarfile.LNKTYPE, False),
])
def test_archive_entries_outside_the_folder_or_links_are_refused(entry, kind, safe):
    member = tarfile.TarInfo(entry)
    member.type = kind
    assert backup.safe_member(member) is safe
