# Usage: python3 tojson.py memcheck.xml > report.json (run from this folder).
# Converts one real memcheck XML log into a plumb.report/1 fixture (paths made relative).
import hashlib, json, sys, xml.etree.ElementTree as ET
KINDS = {"Leak_DefinitelyLost": "leak.definite", "Leak_IndirectlyLost": "leak.indirect",
         "Leak_PossiblyLost": "leak.possible", "Leak_StillReachable": "leak.reachable"}
ALLOC = {"malloc", "calloc", "realloc", "operator new(unsigned long)"}
root = ET.parse(sys.argv[1]).getroot()
findings = []
for err in root.findall("error"):
    kind_text = err.findtext("kind")
    kind = KINDS.get(kind_text, "memory.error")
    frames = []
    for f in err.find("stack").findall("frame"):
        fn = f.findtext("fn") or ""
        if fn in ALLOC and not frames:
            continue
        frames.append({"function": fn, "file": f.findtext("file") or "", "line": int(f.findtext("line") or 0),
                       "object": (f.findtext("obj") or "").rsplit("/", 1)[-1]})
    xw = err.find("xwhat")
    message = (xw.findtext("text") if xw is not None else err.findtext("what")) or ""
    leaked = xw.find("leakedbytes") if xw is not None else None
    # Design: a leak's bytes/blocks are its direct ones ("384 (48 direct, 336 indirect) bytes").
    direct = message.split("(", 1)[1].split(" direct", 1)[0] if " direct, " in message else None
    fp = hashlib.sha256((kind + "|" + "|".join(f["function"] for f in frames[:4])).encode()).hexdigest()[:16]
    findings.append({"fingerprint": fp, "kind": kind, "detail": kind_text, "tools": ["memcheck"],
                     "variants": ["memcheck-example"],
                     "bytes": int(direct) if direct else (int(xw.findtext("leakedbytes")) if leaked is not None else 0),
                     "blocks": int(xw.findtext("leakedblocks")) if leaked is not None else 0,
                     "message": message, "frames": frames, "related_stacks": [], "status": "new",
                     "suppression": None})
report = {"schema": "plumb.report/1", "verdict": "fail",
          "variants": [{"name": "memcheck-example", "tool": "memcheck", "status": "ok", "exit_code": 0,
                        "duration_s": 0.61, "command": "valgrind --tool=memcheck --leak-check=full --show-leak-kinds=all --xml=yes --xml-file=memcheck.xml ./leaky",
                        "repro": "valgrind --tool=memcheck --leak-check=full --show-leak-kinds=all --xml=yes --xml-file=memcheck.xml ./leaky",
                        "logs": ["memcheck.xml"], "canary": False, "note": ""}],
          "findings": findings, "growth": [], "suppressions": [],
          "gate_reasons": ["%d new findings from memcheck" % len(findings)],
          "generated_at": "2025-01-15T12:00:00Z"}
json.dump(report, sys.stdout, indent=2)
print()
