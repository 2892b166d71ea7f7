// The doctor's diagnosis as a plumb report (growth series and findings), so every renderer can show it.
#pragma once

#include <string>

#include "plumb/core/model.hpp"
#include "plumb/doctor/diagnosis.hpp"

namespace plumb::doctor {

// What was observed, for the report's variant entry.
struct ObservedProcess {
  std::string command;  // Shell-quoted argv, or "pid N".
  double duration_s = 0;
  bool exited_early = false;
  std::string generated_at;  // ISO-8601 UTC.
  std::string run_id;        // The report set's id; empty: a fresh random one.
};

// The report: one variant "doctor", one growth series per metric (x = seconds since the start,
// slopes per second), a heap.growth / thread.leak / fd.leak finding per growing metric, and
// verdict "pass" only when the diagnosis is conclusive and healthy.
core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process);

// The current time as ISO-8601 UTC ("2024-05-01T12:00:00Z").
std::string utc_now_iso8601();

}  // namespace plumb::doctor
