#!/usr/bin/env python3
"""The reference extractor: the same fields as bench_parse_memcheck, with ElementTree.iterparse.

Usage: reference_iterparse.py FILE.xml
Prints one line: findings, per-kind counts summary, bytes, frames, MB/s.

Per <error>: kind, what or xwhat/text, leakedbytes, leakedblocks, and every frame's ip, fn, dir,
file, line and obj; per <suppcounts> pair: name and count. Elements are cleared as soon as
they are read (and the root's children dropped) so memory stays flat, as a fair baseline.

Like the C++ parser, it keeps only the loss records of the last leak check (a log holds one round
of loss records per leak check; see orchestrator/parse/src/leak_round.hpp): a round ends at any
other top-level element, at a "loss record X of N" that does not follow the previous one, at a
change of delta style, or at a second record with the same kind and allocation stack addresses.
"""

import os
import sys
import time
import xml.etree.ElementTree as ET


def loss_record_position(text):
    """(X, N, delta) of "... in loss record X of N"; X and N are None when absent."""
    delta = " (+" in text or " (-" in text
    at = text.rfind("loss record ")
    if at < 0:
        return None, None, delta
    numbers = text[at + len("loss record "):].strip().split(" of ")
    try:
        return int(numbers[0].replace(",", "")), int(numbers[1].replace(",", "")), delta
    except (IndexError, ValueError):
        return None, None, delta


def main() -> None:
    path = sys.argv[1]
    size = os.path.getsize(path)
    start = time.perf_counter()
    findings = 0
    frames = 0
    leaked = 0
    kinds = {}
    root = None
    depth = 0
    # The current leak-check round: (kind, frames, leaked bytes) per loss record, and its state.
    leak_round = []
    round_keys = set()
    last_index = last_count = last_delta = None
    interrupted = True
    for event, elem in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            depth += 1
            if root is None:
                root = elem
            continue
        depth -= 1
        if elem.tag == "error":
            kind = elem.findtext("kind", "")
            message = elem.findtext("what") or elem.findtext("xwhat/text", "")
            record_bytes = int(elem.findtext("xwhat/leakedbytes", "0").replace(",", "") or 0)
            _ = elem.findtext("xwhat/leakedblocks", "0")
            record_frames = 0
            ips = []
            for number, stack in enumerate(elem.iter("stack")):
                for frame in stack.iter("frame"):
                    ip = frame.findtext("ip", "")
                    _ = (frame.findtext("fn", ""), frame.findtext("dir", ""), frame.findtext("file", ""),
                         int(frame.findtext("line", "0") or 0), frame.findtext("obj", ""))
                    if number == 0:
                        ips.append(ip)
                    record_frames += 1
            if kind.startswith("Leak_"):
                index, count, delta = loss_record_position(elem.findtext("xwhat/text", ""))
                valid = ips and all(ip.startswith("0x") and all(c in "0123456789abcdefABCDEF" for c in ip[2:])
                                    for ip in ips)
                key = (kind, tuple(ips)) if valid else None
                restart = interrupted or delta != last_delta or (key is not None and key in round_keys)
                if index is not None and last_index is not None:
                    restart = restart or index <= last_index or count != last_count
                if restart:
                    leak_round = []
                    round_keys = set()
                if key is not None:
                    round_keys.add(key)
                leak_round.append((kind, record_frames, record_bytes))
                last_index, last_count, last_delta = index, count, delta
                interrupted = False
            else:
                kinds[kind] = kinds.get(kind, 0) + 1
                findings += 1 if message is not None else 0
                frames += record_frames
                interrupted = True
            elem.clear()
            root.clear()
        elif elem.tag == "pair":
            _ = (elem.findtext("name"), elem.findtext("count"))
        elif depth == 1:
            interrupted = True
    for kind, record_frames, record_bytes in leak_round:
        kinds[kind] = kinds.get(kind, 0) + 1
        findings += 1
        frames += record_frames
        leaked += record_bytes
    seconds = time.perf_counter() - start
    print(f"python findings={findings} frames={frames} leakedbytes={leaked} kinds={len(kinds)} "
          f"seconds={seconds:.3f} mb_per_s={size / 1e6 / seconds:.1f}")


if __name__ == "__main__":
    main()
