#!/usr/bin/env python3
"""Counts the TAP test cases meson ran and prints the closing line "N passed, N failed".

  summarize-results.py TESTLOG.json [--no-skips]

Cases are counted the way TAP means them: a result line starts its line with "ok" or
"not ok"; "# SKIP" is a skip, whatever the result; "not ok … # TODO" is a known failure,
counted apart (neither passed nor failed), and "ok … # TODO" is one that now passes. A
program that skipped whole ("1..0 # SKIP why") is a skip of its own. With --no-skips (CI),
anything skipped fails the run: CI exists to run everything.
"""

import json
import re
import sys

TAP_RESULT = re.compile(r"^(not ok|ok)\b(.*)$")
TAP_SKIPPED_PLAN = re.compile(r"^1\.\.0\s*#\s*skip\b\s*(.*)$", re.IGNORECASE)
DIRECTIVE = re.compile(r"#\s*(skip|todo)\b", re.IGNORECASE)


def count_program(entry, totals):
    """Adds one program's cases to totals; returns whether any of its cases failed."""
    counted = 0
    failed_here = 0
    skipped_whole = None

    for output_line in (entry.get("stdout") or "").splitlines():
        plan = TAP_SKIPPED_PLAN.match(output_line)
        if plan:
            skipped_whole = plan.group(1) or "no reason given"
            continue
        match = TAP_RESULT.match(output_line)
        if not match:
            continue
        counted += 1
        directive = DIRECTIVE.search(match.group(2))
        kind = directive.group(1).lower() if directive else None
        if kind == "skip":
            totals["skipped"] += 1
            totals["skipped_cases"].append(f"{entry.get('name')}: {match.group(2).strip()}")
        elif kind == "todo":
            totals["todo" if match.group(1) == "not ok" else "passed"] += 1
        elif match.group(1) == "ok":
            totals["passed"] += 1
        else:
            failed_here += 1

    totals["failed"] += failed_here
    result = entry.get("result")
    # Tests judged by exit code alone print no TAP lines: count the program itself.
    if counted == 0 and skipped_whole is None and result == "OK":
        totals["passed"] += 1
    if result not in ("OK", "SKIP", "EXPECTEDFAIL"):
        totals["programs_failed"].append(entry.get("name"))
        # A program that failed without a failing case (a crash, a sanitizer report at
        # exit, a wrong exit code) still counts as one failure.
        if failed_here == 0:
            totals["failed"] += 1
    elif counted == 0 and (skipped_whole is not None or result == "SKIP"):
        totals["skipped"] += 1
        totals["skipped_programs"].append(f"{entry.get('name')}: {skipped_whole}")


def main(argv):
    log_path = argv[1]
    no_skips = "--no-skips" in argv[2:]
    totals = {"passed": 0, "failed": 0, "skipped": 0, "todo": 0,
              "programs_failed": [], "skipped_programs": [], "skipped_cases": []}

    with open(log_path, encoding="utf-8") as log:
        for line in log:
            count_program(json.loads(line), totals)

    for program in totals["skipped_programs"]:
        print(f"SKIPPED whole program {program}")
    for case in totals["skipped_cases"]:
        print(f"SKIPPED {case}")
    if totals["programs_failed"]:
        print("failed test programs: " + ", ".join(totals["programs_failed"]))
    line = f"{totals['passed']} passed, {totals['failed']} failed"
    if totals["skipped"]:
        line += f", {totals['skipped']} skipped"
    if totals["todo"]:
        line += f", {totals['todo']} known failures (TODO)"
    print(line)

    if totals["failed"]:
        return 1
    if totals["skipped"] and no_skips:
        print("CI runs every test: the skips above fail this run.")
        return 1
    if totals["skipped"]:
        print("Some tests were skipped (see why above): CI would fail.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
