#!/usr/bin/env python3
"""Writes a large memcheck XML log by repeating the real <error> records of the golden logs.

Usage: make_big_memcheck_xml.py OUT.xml MEGABYTES

The preamble and the closing part come from tests/golden/memcheck/leak.xml; the body cycles
through every <error> record of every golden memcheck log (leaks, invalid reads, uninitialised
values, mismatched frees, fd leaks), so the file has the shape of a real, very long run.
"""

import pathlib
import re
import sys

GOLDEN = pathlib.Path(__file__).resolve().parent.parent.parent / "tests" / "golden" / "memcheck"


def main() -> None:
    out_path, megabytes = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    records = []
    for log in sorted(GOLDEN.glob("*.xml")):
        records += re.findall(r"<error>.*?</error>\n", log.read_text(), flags=re.S)
    template = (GOLDEN / "leak.xml").read_text()
    head = template[: template.index("<error>")]
    tail = template[template.index("<errorcounts>"):]
    block = "\n".join(records) + "\n"
    target = megabytes * 1024 * 1024
    with out_path.open("w") as out:
        out.write(head)
        written = len(head)
        while written + len(tail) < target:
            out.write(block)
            written += len(block)
        out.write(tail)


if __name__ == "__main__":
    main()
