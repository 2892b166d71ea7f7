#!/usr/bin/env python3
"""Fails when a compile line of BUILD_DIR defines a macro whose value names a folder of the checkout.

ccache (with base_dir the source root) rewrites the paths of -I, -include and the source file, never
the value of a -D: one absolute path there makes that object depend on where the tree is cloned,
so no clone reuses another's compiles. Paths a test needs at run time go through plumb_test_paths
(cmake/PlumbTesting.cmake). Usage: check_relocatable.py BUILD_DIR SOURCE_DIR
"""
import json
import pathlib
import shlex
import sys


def main() -> int:
    build = pathlib.Path(sys.argv[1]).resolve()
    source = pathlib.Path(sys.argv[2]).resolve()
    database = build / "compile_commands.json"
    if not database.is_file():
        print(f"{database}: missing (CMAKE_EXPORT_COMPILE_COMMANDS is on in this project)", file=sys.stderr)
        return 2
    folders = {str(source), str(build)}
    problems = []
    entries = json.loads(database.read_text())
    for entry in entries:
        words = entry.get("arguments") or shlex.split(entry["command"])
        for i, word in enumerate(words):
            definition = word[2:] if word.startswith("-D") and len(word) > 2 else (
                words[i + 1] if word == "-D" and i + 1 < len(words) else None)
            if definition is None or "=" not in definition:
                continue
            name, value = definition.split("=", 1)
            if any(folder in value for folder in folders):
                problems.append(f"{entry['file']}: -D{name} names a folder of the checkout: {value}")
    for problem in sorted(set(problems)):
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(set(problems))} definitions make objects depend on the checkout's folder; "
              "give tests their paths through plumb_test_paths", file=sys.stderr)
        return 1
    print(f"{len(entries)} compile lines, none defines a macro naming the checkout's folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
