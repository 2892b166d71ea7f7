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


ACTION = "./.github/actions/plumb"


def action_steps(job):
    return [step for step in job.get("steps", []) if step.get("uses") == ACTION]


# The composite action other projects copy (docs/ci.md): what it declares, what it runs, what it publishes.
with open(os.path.join(root, ".github", "actions", "plumb", "action.yml"), encoding="utf-8") as f:
    action = yaml.safe_load(f)
check(action.get("runs", {}).get("using") == "composite", "action.yml: must be a composite action")
declared = set(action.get("inputs", {}))
for needed in ["command", "install", "deb", "tier", "variants", "shard", "timings", "reports", "out",
               "artifact-name", "upload-sarif", "sarif-category", "publish-junit", "working-directory"]:
    check(needed in declared, f"action.yml: input '{needed}' missing")
for name, spec in action.get("inputs", {}).items():
    check(isinstance(spec.get("description"), str) and spec["description"].strip(), f"action.yml: input '{name}' needs a description")
    check("default" in spec or spec.get("required"), f"action.yml: input '{name}' needs a default or required")
action_text = open(os.path.join(root, ".github", "actions", "plumb", "action.yml"), encoding="utf-8").read()
for used in sorted(set(re.findall(r"inputs\.([\w-]+)", action_text))):
    check(used in declared, f"action.yml: uses undeclared input '{used}'")
steps = action.get("runs", {}).get("steps", [])
for step in steps:
    check("run" not in step or step.get("shell") == "bash", f"action.yml: step '{step.get('name')}' must say shell: bash")
    for line in re.findall(r"\$\{\{[^}]*\}\}", step.get("run", "")):
        failures.append(f"action.yml: step '{step.get('name')}' expands {line} inside its script; pass it through env")
plumb_step = next((step for step in steps if step.get("id") == "plumb"), {})
script = plumb_step.get("run", "")
check('"$PLUMB" run' in script and '--shard "$SHARD"' in script and '--timings "$TIMINGS"' in script
      and '--variant "$variant"' in script, "action.yml: the plumb step must run plumb run with --variant, --shard, --timings")
check('"$PLUMB" merge' in script, "action.yml: the plumb step must run plumb merge")
written = set(re.findall(r'echo "([\w-]+)=', script))
for used in sorted(set(re.findall(r"steps\.plumb\.outputs\.([\w-]+)", action_text))):
    check(used in written, f"action.yml: steps.plumb.outputs.{used} is read but the plumb step never writes it")
uses = {str(step.get("uses", "")).split("@")[0]: step for step in steps if "uses" in step}
for published in ["actions/upload-artifact", "github/codeql-action/upload-sarif", "mikepenz/action-junit-report"]:
    check(published in uses and str(uses[published].get("if", "")).startswith("always()"),
          f"action.yml: must publish with {published}, even when plumb fails (if: always() ...)")
check(steps and steps[-1].get("run") and "exit" in steps[-1]["run"], "action.yml: the last step must exit with plumb's code")
check(steps and "install" in str(steps[0].get("name", "")) and all(
    mode in steps[0].get("run", "") for mode in ["source)", "deb)", "path)"]), "action.yml: the first step installs plumb (source, deb or path)")


def check_action_use(where, step):
    for given in step.get("with", {}):
        check(given in declared, f"{where}: passes '{given}', which the action does not declare")


# docs/ci.md: the recipe, whose YAML must be a workflow that uses the action as it is.
with open(os.path.join(root, "docs", "ci.md"), encoding="utf-8") as f:
    ci_doc = f.read()
blocks = re.findall(r"```yaml\n(.*?)```", ci_doc, re.S)
check(blocks, "docs/ci.md: must hold the workflow as a yaml block")
for block in blocks:
    document = yaml.safe_load(block)
    if True in document:
        document["on"] = document.pop(True)
    jobs = document.get("jobs", {})
    for job_name, job in jobs.items():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).split("@")[0].endswith(".github/actions/plumb"):
                check_action_use(f"docs/ci.md job {job_name}", step)
    matrix = jobs.get("plumb", {}).get("strategy", {}).get("matrix", {})
    check({"tool", "shard"} <= set(matrix), "docs/ci.md: the plumb job's matrix must be tools x shards")
    merge_steps = [step for step in jobs.get("merge", {}).get("steps", [])
                   if str(step.get("uses", "")).split("@")[0].endswith(".github/actions/plumb")]
    check(jobs.get("merge", {}).get("needs") == "plumb" and jobs.get("merge", {}).get("if") == "always()"
          and merge_steps and merge_steps[0].get("with", {}).get("command") == "merge",
          "docs/ci.md: a merge job must wait for every shard, always run, and merge with the action")


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
    merge = jobs["merge"]
    check(merge.get("needs") == "variant" and merge.get("if") == "always()", f"{name}: merge must wait for every variant and always run")
    for job_name, job in jobs.items():
        for step in action_steps(job):
            check_action_use(f"{name} job {job_name}", step)
    if action_steps(variant_job):
        # The action runs plumb, uploads the folder (always) and publishes; the merge job publishes the whole.
        given = action_steps(variant_job)[0].get("with", {})
        check(given.get("tier") == tier and given.get("variants") == "${{ matrix.variants }}",
              f"{name}: the variant job's action must run tier {tier} and the matrix's variants")
        check(given.get("artifact-name"), f"{name}: the variant job's action must upload the report folder")
        merged = action_steps(merge)
        check(merged and merged[0].get("with", {}).get("command") == "merge"
              and str(merged[0].get("with", {}).get("upload-sarif", "true")) == "true"
              and merged[0].get("with", {}).get("artifact-name"),
              f"{name}: merge job must merge, upload and publish SARIF with the action")
    else:
        check(f"plumb run --tier {tier}" in runs and "--variant" in runs, f"{name}: variant job must run plumb run --tier {tier} --variant")
        uploads = [s for s in variant_job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
        check(uploads and uploads[0].get("if") == "always()", f"{name}: variant reports must be uploaded even on failure")
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
