#!/usr/bin/env python3
"""Checks plumb's report set for the example consumer (scripts/example-consumer).

Usage: check_example_consumer.py clean|planted REPORT_DIR
       check_example_consumer.py sharded MERGED_DIR WHOLE_DIR

clean:   every one of the 3 x 5 CTest tests passed, JUnit has one case per test and no
         failure, report.json has no gating finding.
planted: the planted leak (Table::merge), overflow (Table::top) and race (count_parallel) are
         found by their tools and attributed to the tests that run them; the tests that run
         none (count, file) have no gating finding under any tool.
sharded: MERGED_DIR, plumb merge of the planted build's shards, is what planted asks and says
         what the unsharded WHOLE_DIR says: variants (status, verdict, exit code, errors), findings
         (fingerprint, kind, disposition, sizes, shares, tools, tests), reasons, verdict, exit code.
         A race's addresses and thread ids, which differ between any two runs, are not compared.
"""
import json
import sys
import xml.etree.ElementTree as ET

TOOLS = ["memcheck", "asan", "tsan"]
TESTS = ["count", "merge", "top", "threads", "file"]

# (tool, test) -> kinds that must be among its gating findings.
PLANTED = {
    ("memcheck", "merge"): {"leak.definite"},
    ("memcheck", "top"): {"memory.error"},
    ("memcheck", "threads"): {"leak.definite"},  # count_parallel merges through the leaking path
    ("asan", "merge"): {"leak.indirect"},       # LSan calls the whole leaked map indirect (a cycle)
    ("asan", "top"): {"memory.error"},
    ("asan", "threads"): {"leak.indirect"},
    ("tsan", "threads"): {"race"},
}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main():
    mode, out = sys.argv[1], sys.argv[2]
    report = json.load(open(f"{out}/report.json", encoding="utf-8"))
    junit = ET.parse(f"{out}/junit.xml").getroot()

    names = [v["name"] for v in report["variants"]]
    check(names == [f"{tool}/{test}" for tool in TOOLS for test in TESTS],
          f"variants are not the 3 tools x 5 tests in CTest's order: {names}")
    for variant in report["variants"]:
        check(variant.get("suite") in TOOLS and variant.get("test") in TESTS,
              f"{variant['name']} does not name its suite and test")

    gating = {}
    for finding in report["findings"]:
        if finding["gating"]:
            for name in finding["variants"]:
                gating.setdefault(name, set()).add(finding["kind"])

    suites = {s.get("name"): s for s in junit.findall("testsuite")}
    for tool in TOOLS:
        suite = suites.get(tool)
        check(suite is not None, f"junit.xml has no testsuite {tool}")
        if suite is None:
            continue
        cases = [c.get("name") for c in suite.findall("testcase")]
        check(cases == TESTS, f"junit suite {tool} has cases {cases}, expected one per test {TESTS}")
        failed = sorted(c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None)
        errors = [c.get("name") for c in suite.findall("testcase") if c.find("error") is not None]
        check(not errors, f"junit suite {tool}: tests in error {errors}")
        expected_failed = sorted(test for (t, test) in PLANTED if t == tool) if mode != "clean" else []
        check(failed == expected_failed, f"junit suite {tool}: failed {failed}, expected {expected_failed}")
        check(suite.get("failures") == str(len(expected_failed)),
              f"junit suite {tool}: failures=\"{suite.get('failures')}\", expected {len(expected_failed)}")

    if mode == "sharded":
        whole = json.load(open(f"{sys.argv[3]}/report.json", encoding="utf-8"))
        check("shard" not in report, "the merged report still says it is a shard")
        variant_fields = ["name", "suite", "test", "tool", "status", "verdict", "exit_code", "errors", "caught"]
        finding_fields = ["fingerprint", "kind", "disposition", "status", "site", "class", "allocator",
                          "bytes", "blocks", "occurrences", "shares", "tools", "variants", "gating"]
        for field in ["verdict", "exit_code", "identity", "errors", "truncated"]:
            check(report.get(field) == whole.get(field), f"{field}: merged {report.get(field)}, unsharded {whole.get(field)}")
        check([[v.get(f) for f in variant_fields] for v in report["variants"]]
              == [[v.get(f) for f in variant_fields] for v in whole["variants"]], "variants differ from the unsharded run's")
        check([[f.get(k) for k in finding_fields] for f in report["findings"]]
              == [[f.get(k) for k in finding_fields] for f in whole["findings"]], "findings differ from the unsharded run's")
        check([r["verdict"] for r in report["reasons"]] == [r["verdict"] for r in whole["reasons"]],
              "reasons differ from the unsharded run's")
    if mode == "clean":
        check(report["verdict"] == "pass", f"verdict {report['verdict']}, expected pass")
        check(not gating, f"gating findings on the clean build: {gating}")
    else:
        check(report["verdict"] == "fail", f"verdict {report['verdict']}, expected fail")
        for (tool, test), kinds in PLANTED.items():
            found = gating.get(f"{tool}/{test}", set())
            check(kinds <= found, f"{tool}/{test}: gating kinds {sorted(found)}, expected {sorted(kinds)}")
        for tool in TOOLS:
            for test in ("count", "file"):
                check(f"{tool}/{test}" not in gating,
                      f"{tool}/{test} runs no planted code but has {sorted(gating.get(f'{tool}/{test}', []))}")
        check(set(gating) <= {f"{t}/{n}" for (t, n) in PLANTED},
              f"findings attributed to tests that run no planted code: {sorted(set(gating))}")

    for failure in failures:
        print(f"check_example_consumer ({mode}): {failure}", file=sys.stderr)
    if not failures:
        print(f"check_example_consumer ({mode}): ok, {len(report['variants'])} tests, "
              f"{sum(len(k) for k in gating.values())} gating (test, kind) pairs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
