// The real process runner wired into the pipeline, for plumb run and plumb exec.
#include <iostream>
#include <memory>

#include "pipeline.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/run/interrupt.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::cli {

int run_and_publish(const pipeline::Plan& plan) {
  core::ReportFolderRules rules = plan.out_rules;
  for (const run::PlannedRun& planned : plan.runs) {
    rules.judged_elsewhere.push_back(planned.out_dir.filename().string());
  }
  const core::OutputLock lock(plan.out_dir, rules);  // one run per report folder at a time
  run::install_interrupt_handlers();
  const std::unique_ptr<run::ProcessRunner> runner = run::make_system_runner();
  pipeline::Hooks hooks;
  hooks.progress = &std::cerr;
  hooks.stop_requested = run::interrupt_requested;
  return publish_report(pipeline::execute(plan, *runner, hooks), plan.out_dir);
}

}  // namespace plumb::cli
