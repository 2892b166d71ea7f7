#!/usr/bin/env python3
"""cmake/PlumbRevision.cmake, run as the build runs it, in a scratch git repository of its own:
the header names the revision of the moment (a commit after the first run is seen at the next),
is not rewritten while the revision stays (nothing recompiles), says -dirty for an edited tree and
"unknown" outside a git checkout. Usage: check_revision.py SOURCE_DIR (this project's root)
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def revision(script, repo, out):
    subprocess.run(["cmake", f"-DSOURCE_DIR={repo}", f"-DOUT={out}", "-P", str(script)], check=True)
    match = re.search(r'#define PLUMB_REVISION "([^"]*)"', out.read_text())
    if not match:
        raise SystemExit(f"{out}: no PLUMB_REVISION definition:\n{out.read_text()}")
    return match.group(1)


def expect(what, got, wanted):
    if got != wanted:
        raise SystemExit(f"check_revision: {what}: got {got!r}, expected {wanted!r}")


def main() -> int:
    script = pathlib.Path(sys.argv[1]).resolve() / "cmake" / "PlumbRevision.cmake"
    with tempfile.TemporaryDirectory(prefix="plumb-revision-") as scratch:
        repo = pathlib.Path(scratch) / "repo"
        repo.mkdir()
        out = pathlib.Path(scratch) / "generated" / "plumb_revision.h"
        os.environ["GIT_CEILING_DIRECTORIES"] = scratch  # "not-git" is in no repository, wherever TMPDIR is
        os.environ.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                          GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
        git(repo, "init", "-q")
        (repo / "file").write_text("one\n")
        git(repo, "add", "file")
        git(repo, "commit", "-q", "-m", "one")
        first = git(repo, "rev-parse", "--short=12", "HEAD")
        expect("first build", revision(script, repo, out), first)
        written = out.stat().st_mtime_ns
        os.utime(out, ns=(written - 10**9, written - 10**9))  # so a rewrite would show
        expect("same revision", revision(script, repo, out), first)
        expect("header untouched while the revision stays", out.stat().st_mtime_ns, written - 10**9)
        (repo / "file").write_text("two\n")
        expect("edited tree", revision(script, repo, out), first + "-dirty")
        git(repo, "commit", "-q", "-am", "two")
        expect("a commit after the first build", revision(script, repo, out), git(repo, "rev-parse", "--short=12", "HEAD"))
        plain = pathlib.Path(scratch) / "not-git"
        plain.mkdir()
        expect("outside a checkout", revision(script, plain, out), "unknown")
    print("check_revision: the header follows the revision at every build and is rewritten only when it changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
