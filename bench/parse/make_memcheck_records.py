#!/usr/bin/env python3
"""Writes a memcheck XML log of MEGABYTES of error records cut from a real one.

Usage: make_memcheck_records.py OUT.xml MEGABYTES identical|distinct

The preamble, the record and the closing part come from tests/golden/memcheck/uaf.xml (a real
memcheck log of a use-after-free). `identical` repeats its record with only the unique id
changed (one defect reported again and again: one finding); `distinct` also renames the
function in every frame of every copy (each record a different defect). <errorcounts> lists
every record, as memcheck does, so the log passes plumb's evidence check.
"""

import pathlib
import re
import sys

GOLDEN = pathlib.Path(__file__).resolve().parent.parent.parent / "tests" / "golden" / "memcheck" / "uaf.xml"


def main() -> None:
    out_path, megabytes, mode = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode not in ("identical", "distinct"):
        sys.exit("mode must be identical or distinct")
    log = GOLDEN.read_text()
    begin, end = log.index("<error>"), log.index("</error>") + len("</error>\n")
    head, record = log[:begin], log[begin:end]
    tail = log[end:]
    counts_open = tail.index("<errorcounts>") + len("<errorcounts>\n")
    counts_close = tail.index("</errorcounts>")
    target = megabytes * 1024 * 1024
    pairs = []
    with out_path.open("w") as out:
        out.write(head)
        written, n = len(head), 0
        while written < target:
            unique = f"0x{n:x}"
            copy = re.sub(r"<unique>[^<]*</unique>", f"<unique>{unique}</unique>", record, count=1)
            if mode == "distinct":
                copy = re.sub(r"<fn>([^<]*)</fn>", lambda m: f"<fn>{m.group(1)}_{n}</fn>", copy)
            out.write(copy)
            written += len(copy)
            pairs.append(f"  <pair>\n    <count>1</count>\n    <unique>{unique}</unique>\n  </pair>\n")
            n += 1
        out.write(tail[:counts_open] + "".join(pairs) + tail[counts_close:])


if __name__ == "__main__":
    main()
