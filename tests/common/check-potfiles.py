#!/usr/bin/env python3
"""Checks po/POTFILES.in against the sources.

  check-potfiles.py SOURCE_ROOT

Every file it lists exists (xgettext stops at the first one that does not, and the
translations are then never refreshed), and every source file with a string marked for
translation (_(), N_(), translatable="yes") is listed. Prints each problem; exits 1 if any.
"""

import os
import re
import sys

MARKED = re.compile(r'(?<![A-Za-z0-9_])N?_\s*\(\s*"|translatable="yes"')
SOURCE_FOLDERS = ("pos", "devices", "receipts", "ui", "assets")


def main(root):
    problems = []
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as potfiles:
        listed = [line.strip() for line in potfiles
                  if line.strip() and not line.startswith("#")]

    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            problems.append(f"po/POTFILES.in lists {path}, which does not exist")

    for folder in SOURCE_FOLDERS:
        for directory, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if not name.endswith((".c", ".ui", ".in")):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                with open(os.path.join(root, path), encoding="utf-8") as source:
                    if MARKED.search(source.read()) and path not in listed:
                        problems.append(f"{path} has translatable strings but is not in "
                                        "po/POTFILES.in")

    for problem in problems:
        print(problem)
    print(f"{len(listed)} files listed for translation: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
