"""Add or update Chinese translations in the one catalogue, safely from several shells at once.

    .venv/bin/python tools/po_add.py entries.json

entries.json is a list of {"msgid": ..., "msgstr": ..., "msgctxt": optional,
"msgid_plural": optional, "msgstr_plural": optional {"0": ...}, "update": true to replace an
existing translation}. The catalogue is locked while it
is read, changed and written (so two writers never lose each other's entries) and the .mo is
compiled at once. `make messages-update` rewraps the whole file; this keeps diffs small.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "kaohe/locale/zh_Hans/LC_MESSAGES/django.po"


def add(entries: list[dict[str, object]]) -> tuple[int, int]:
    added = updated = 0
    with open(PO.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO), wrapwidth=79)
        for raw in entries:
            msgid = str(raw["msgid"])
            ctxt = str(raw["msgctxt"]) if raw.get("msgctxt") else None
            entry = po.find(msgid, msgctxt=ctxt) if ctxt else po.find(msgid)
            if entry is None:
                entry = polib.POEntry(msgid=msgid, msgctxt=ctxt)
                po.append(entry)
                added += 1
            elif entry.translated() and not raw.get("update"):
                continue  # an existing translation stays unless the entry says "update": true
            else:
                updated += 1
            if "msgid_plural" in raw:
                entry.msgid_plural = str(raw["msgid_plural"])
                plural = raw.get("msgstr_plural") or {"0": raw.get("msgstr", "")}
                entry.msgstr_plural = {int(k): str(v) for k, v in dict(plural).items()}  # type: ignore[call-overload]
            else:
                entry.msgstr = str(raw["msgstr"])
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(PO))
        po.save_as_mofile(str(PO.with_suffix(".mo")))
    return added, updated


if __name__ == "__main__":
    a, u = add(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    sys.stdout.write(f"{a} added, {u} updated in {PO}\n")
