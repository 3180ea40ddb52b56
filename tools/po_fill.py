"""Fill Hindi translations into a .po file and compile it (developer tool).

Usage: python tools/po_fill.py PO_FILE TRANSLATIONS.json [MORE.json ...]
Each JSON maps each English msgid to its Hindi text; a msgid used with a
context (``pgettext``) is keyed ``"context\u0004msgid"`` (gettext's own
separator) and wins over the bare msgid. Entries already
translated are kept unless the JSON gives a new text; fuzzy flags are
cleared for filled entries. Writes the .po and the compiled .mo beside it,
so a fresh machine shows Hindi without gettext tools.
"""

import json
import sys

import polib


def main(po_path: str, *json_paths: str) -> None:
    texts: dict[str, str] = {}
    for json_path in json_paths:
        with open(json_path, encoding="utf-8") as handle:
            texts.update(json.load(handle))
    catalog = polib.pofile(po_path)
    missing = []
    for entry in catalog:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in texts:
            key = entry.msgid
        if key in texts:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: texts[key], 1: texts[key]}
            else:
                entry.msgstr = texts[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.translated():
            missing.append(entry.msgid)
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalog.metadata["Language"] = "hi"
    catalog.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalog.save(po_path)
    catalog.save_as_mofile(po_path[:-3] + ".mo")
    for msgid in missing:
        print("untranslated:", msgid.replace("\n", " ")[:100])


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:])
