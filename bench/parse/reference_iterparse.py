#!/usr/bin/env python3
"""The reference extractor: the same fields as bench_parse_memcheck, with ElementTree.iterparse.

Usage: reference_iterparse.py FILE.xml
Prints one line: findings, per-kind counts summary, bytes, frames, MB/s.

Per <error>: kind, what or xwhat/text, leakedbytes, leakedblocks, and every frame's fn, dir,
file, line and obj; per <suppcounts> pair: name and count. Elements are cleared as soon as
they are read (and the root's children dropped) so memory stays flat, as a fair baseline.
"""

import os
import sys
import time
import xml.etree.ElementTree as ET


def main() -> None:
    path = sys.argv[1]
    size = os.path.getsize(path)
    start = time.perf_counter()
    findings = 0
    frames = 0
    leaked = 0
    kinds = {}
    root = None
    for event, elem in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            if root is None:
                root = elem
            continue
        if elem.tag == "error":
            kind = elem.findtext("kind", "")
            message = elem.findtext("what") or elem.findtext("xwhat/text", "")
            leaked += int(elem.findtext("xwhat/leakedbytes", "0").replace(",", "") or 0)
            _ = elem.findtext("xwhat/leakedblocks", "0")
            for stack in elem.iter("stack"):
                for frame in stack.iter("frame"):
                    _ = (frame.findtext("fn", ""), frame.findtext("dir", ""), frame.findtext("file", ""),
                         int(frame.findtext("line", "0") or 0), frame.findtext("obj", ""))
                    frames += 1
            kinds[kind] = kinds.get(kind, 0) + 1
            findings += 1 if message is not None else 0
            elem.clear()
            root.clear()
        elif elem.tag == "pair":
            _ = (elem.findtext("name"), elem.findtext("count"))
    seconds = time.perf_counter() - start
    print(f"python findings={findings} frames={frames} leakedbytes={leaked} kinds={len(kinds)} "
          f"seconds={seconds:.3f} mb_per_s={size / 1e6 / seconds:.1f}")


if __name__ == "__main__":
    main()
