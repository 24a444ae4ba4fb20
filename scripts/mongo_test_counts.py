"""Prints how many MongoDB tests (test_mongo_*.py) ran and how many were skipped, from pytest's JUnit XML.

Used by scripts/test-all.sh: without MONGODB_URL the real-server variants skip, and the summary says so.
"""

import os
import sys
import xml.etree.ElementTree as ET
from collections import Counter


def main(path: str) -> None:
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for case in ET.parse(path).getroot().iter("testcase"):
        if "test_mongo" not in case.get("classname", "") + case.get("file", ""):
            continue
        skipped = case.find("skipped")
        if skipped is not None:
            counts["skipped"] += 1
            reasons[(skipped.get("message") or "").removeprefix("Skipped: ")] += 1
        elif case.find("failure") is not None or case.find("error") is not None:
            counts["failed"] += 1
        else:
            counts["passed"] += 1
    ran = counts["passed"] + counts["failed"]
    server = "real server at MONGODB_URL" if os.environ.get("MONGODB_URL") else "no MONGODB_URL: mongomock only"
    print(f"MongoDB tests: {ran} ran ({counts['passed']} passed, {counts['failed']} failed), {counts['skipped']} skipped ({server})")
    for reason, n in sorted(reasons.items()):
        print(f"  skipped {n}: {reason}")


if __name__ == "__main__":
    main(sys.argv[1])
