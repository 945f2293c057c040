#!/usr/bin/env python3
"""Checks that Paydesk's layers depend one way (HACKING.md draws them).

  check-layers.py SOURCE_ROOT

Every folder of sources is a library or a program. A library's files may include only its
own headers and those of the libraries below it; a program may use any library, but no
other program; a "-private.h" header is read only inside its own folder; and the libraries
that do no I/O include none of the I/O libraries' headers. Prints each breach with its file
and line, and exits 1 if there is one.
"""

import os
import re
import sys

DEVICES = ["devices/emv", "devices/pcsc", "devices/usb", "devices/check", "devices/printer"]

# Each library and the libraries it may use, lowest first.
LIBRARIES = {
    "pos/model": [],
    "pos/config": ["pos/model"],
    "pos/journal": ["pos/model"],
    "pos/core": ["pos/model", "pos/config"],
    "pos/mail": ["pos/model", "pos/config"],
    **{folder: ["pos/model"] + [other for other in DEVICES if other != folder]
       for folder in DEVICES},
    "devices/training": ["pos/model"] + DEVICES,
    "pos/payments": ["pos/model", "pos/config", "pos/journal", "pos/core"] + DEVICES,
    "receipts": ["pos/model", "pos/config", "pos/journal", "pos/mail", "devices/emv",
                 "devices/printer"],
    "pos/visit": ["pos/model"],
    "pos/staff": ["pos/model", "pos/config", "pos/journal"],
}
LIBRARIES["pos/terminal"] = sorted(set(sum(LIBRARIES.values(), [])) | set(LIBRARIES))
LIBRARIES["ui"] = LIBRARIES["pos/terminal"] + ["pos/terminal"]

# The GUI is one library in several folders (the flow, each page, each widget): every folder
# under ui/ but its program's.
UI_FOLDERS = []

PROGRAMS = ["ui/paydesk", "pos/paydesk-ctl", "pos/paydesk-core-sim", "pos/paydesk-mail-sim",
            "devices/training/paydesk-vcard", "devices/training/paydesk-vcheck"]

# Headers of libraries that read and write the world, by the libraries that must not.
IO_HEADERS = re.compile(r"^(sqlite3\.h|curl/|libusb|PCSC/|winscard\.h|gtk/|adwaita\.h|"
                        r"libsoup/|tiffio\.h)")
NO_IO = ["pos/model"]
NO_GUI = re.compile(r"^(gtk/|adwaita\.h)")

LOCAL_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s+<([^>]+)>")


def library_of(folder):
    return "ui" if folder in UI_FOLDERS else folder


def source_folders(root):
    for folder in sorted(LIBRARIES) + UI_FOLDERS + PROGRAMS:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            yield folder, None
            continue
        yield folder, sorted(name for name in os.listdir(path) if name.endswith((".c", ".h")))


def find_ui_folders(root):
    for directory, _, _ in os.walk(os.path.join(root, "ui")):
        folder = os.path.relpath(directory, root)
        if folder != "ui" and folder not in PROGRAMS:
            UI_FOLDERS.append(folder)
    UI_FOLDERS.sort()


def main(root):
    find_ui_folders(root)
    owner = {}
    breaches = []

    for folder, names in source_folders(root):
        if names is None:
            breaches.append(f"{folder}: the folder is gone; update tests/common/check-layers.py")
            continue
        for name in names:
            if name.endswith(".h"):
                if name in owner:
                    breaches.append(f"{folder}/{name}: a second {name} (also in {owner[name]})")
                owner[name] = library_of(folder)

    for folder, names in source_folders(root):
        for name in names or []:
            path = os.path.join(folder, name)
            library = library_of(folder)
            allowed = LIBRARIES.get(library)
            with open(os.path.join(root, path), encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    where = f"{path}:{number}"
                    system = SYSTEM_INCLUDE.match(line)
                    if system:
                        header = system.group(1)
                        if folder in NO_IO and IO_HEADERS.match(header):
                            breaches.append(f"{where}: <{header}> in a library without I/O")
                        elif folder.startswith(("pos/", "devices/")) and \
                                folder in LIBRARIES and NO_GUI.match(header):
                            breaches.append(f"{where}: <{header}> below the GUI")
                        continue
                    local = LOCAL_INCLUDE.match(line)
                    if not local:
                        continue
                    header = os.path.basename(local.group(1))
                    home = owner.get(header)
                    if home is None or home == library:
                        continue
                    if header.endswith("-private.h") and home != library:
                        breaches.append(f"{where}: {header} is private to {home}")
                    elif home in PROGRAMS:
                        breaches.append(f"{where}: {header} belongs to the program in {home}")
                    elif allowed is not None and home not in allowed:
                        breaches.append(f"{where}: {folder} may not use {home} ({header})")

    for breach in breaches:
        print(breach)
    print(f"{len(owner)} headers in {len(LIBRARIES)} libraries and {len(PROGRAMS)} programs: "
          f"{len(breaches)} breaches of the layers")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
