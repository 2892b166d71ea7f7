#!/usr/bin/env python3
"""Structure checks for the CI definitions, which cannot run here: the GitHub workflows,
.ci/run and the README's test command. Usage: check_workflows.py REPO_ROOT"""
import json
import os
import re
import subprocess
import sys
import tomllib

import yaml

root = sys.argv[1]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def load_workflow(name):
    with open(os.path.join(root, ".github", "workflows", name), encoding="utf-8") as f:
        document = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as True.
    if True in document:
        document["on"] = document.pop(True)
    return document


def run_lines(job):
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


with open(os.path.join(root, "plumb.toml"), "rb") as f:
    config = tomllib.load(f)
variants = {v["name"]: v for v in config["variant"]}
with open(os.path.join(root, "CMakePresets.json"), encoding="utf-8") as f:
    presets = json.load(f)
workflow_presets = {w["name"] for w in presets["workflowPresets"]}

for name, tier, triggers in [("pr.yml", "pr", {"pull_request", "push"}),
                             ("nightly.yml", "nightly", {"schedule", "workflow_dispatch"})]:
    workflow = load_workflow(name)
    check(triggers <= set(workflow["on"]), f"{name}: triggers {sorted(triggers)} expected, got {sorted(workflow['on'])}")
    jobs = workflow["jobs"]
    check({"variant", "merge"} <= set(jobs), f"{name}: needs jobs 'variant' and 'merge'")
    variant_job = jobs["variant"]
    include = variant_job["strategy"]["matrix"]["include"]
    seen = []
    for entry in include:
        check(entry["preset"] in workflow_presets, f"{name}: matrix preset {entry['preset']} has no workflow preset")
        for variant in entry["variants"].split():
            seen.append(variant)
            check(variant in variants, f"{name}: matrix names unknown variant {variant}")
            if variant in variants:
                check(variants[variant].get("preset") == entry["preset"],
                      f"{name}: variant {variant} is built by preset {variants[variant].get('preset')}, matrix says {entry['preset']}")
    in_tier = sorted(n for n, v in variants.items() if tier in v.get("tiers", {}))
    check(sorted(seen) == in_tier, f"{name}: matrix variants {sorted(seen)} != plumb.toml's {tier} variants {in_tier}")
    runs = run_lines(variant_job)
    check("cmake --workflow --preset ${{ matrix.preset }}" in runs, f"{name}: variant job must run the preset's workflow")
    check(f"plumb run --tier {tier}" in runs and "--variant" in runs, f"{name}: variant job must run plumb run --tier {tier} --variant")
    uploads = [s for s in variant_job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    check(uploads and uploads[0].get("if") == "always()", f"{name}: variant reports must be uploaded even on failure")
    merge = jobs["merge"]
    check(merge.get("needs") == "variant" and merge.get("if") == "always()", f"{name}: merge must wait for every variant and always run")
    check("plumb merge" in run_lines(merge), f"{name}: merge job must run plumb merge")
    uploaded = " ".join(str(s.get("with", {}).get("path", "")) for s in merge["steps"])
    for artifact in ["report.html", "junit.xml", "report.sarif", "report.json"]:
        check(artifact in uploaded, f"{name}: merge job must publish {artifact}")
    check(any(str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif") for s in merge["steps"]),
          f"{name}: SARIF must be uploaded to code scanning")
    if tier == "nightly":
        check("scripts/perf-gate" in run_lines(jobs.get("perf-gate", {})), "nightly.yml: perf-gate job must run scripts/perf-gate")
        check("scripts/fuzz" in run_lines(jobs.get("fuzz", {})), "nightly.yml: fuzz job must run scripts/fuzz")
        corpus = jobs.get("corpus", {})
        check("scripts/corpus" in run_lines(corpus), "nightly.yml: corpus job must run scripts/corpus")
        check(any(str(s.get("uses", "")).startswith("actions/upload-artifact") and s.get("if") == "always()"
                  for s in corpus.get("steps", [])), "nightly.yml: the corpus's results must be uploaded even on failure")
    for job_name, job in jobs.items():
        for step in job.get("steps", []):
            for script in re.findall(r"scripts/[\w-]+", step.get("run", "")):
                path = os.path.join(root, script)
                check(os.access(path, os.X_OK), f"{name}: job {job_name} runs {script}, which is missing or not executable")

# .ci/run must run the README's test command, taken from the README itself.
with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
    readme = f.read().splitlines()
marker = readme.index("<!-- test-command -->")
command = readme[marker + 2]
check(command.startswith("scripts/setup && "), f"README test command must start with scripts/setup: {command!r}")
extracted = subprocess.run(["awk", "/<!-- test-command -->/ { getline; getline; print; exit }", "README.md"],
                           cwd=root, capture_output=True, text=True, check=True).stdout.strip()
check(extracted == command, f".ci/run would extract {extracted!r}, README says {command!r}")
with open(os.path.join(root, ".ci", "run"), encoding="utf-8") as f:
    ci_run = f.read()
check("<!-- test-command -->" in ci_run and 'bash -c "$command"' in ci_run, ".ci/run must run the command it reads from README.md")

for failure in failures:
    print("FAIL:", failure)
print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
