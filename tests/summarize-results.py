#!/usr/bin/env python3
"""Counts the TAP test cases meson ran and prints the closing line "N passed, N failed"."""

import json
import re
import sys

TAP_RESULT = re.compile(r"^(not ok|ok)\b(.*)$")


def main(log_path):
    passed = failed = skipped = 0
    programs_failed = []

    with open(log_path, encoding="utf-8") as log:
        for line in log:
            entry = json.loads(line)
            counted = 0
            failed_here = 0
            for output_line in (entry.get("stdout") or "").splitlines():
                match = TAP_RESULT.match(output_line.strip())
                if not match:
                    continue
                counted += 1
                directive = match.group(2).upper()
                if "# SKIP" in directive:
                    skipped += 1
                elif match.group(1) == "ok" or "# TODO" in directive:
                    passed += 1
                else:
                    failed_here += 1
            failed += failed_here
            # Tests judged by exit code alone print no TAP lines: count the program itself.
            if counted == 0 and entry.get("result") == "OK":
                passed += 1
            # A program that failed without a failing case (a crash, a sanitizer report at
            # exit, a wrong exit code) still counts as one failure.
            if entry.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL"):
                programs_failed.append(entry.get("name"))
                if failed_here == 0:
                    failed += 1
            elif entry.get("result") == "SKIP" and counted == 0:
                skipped += 1

    if programs_failed:
        print("failed test programs: " + ", ".join(programs_failed))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)


if __name__ == "__main__":
    main(sys.argv[1])
