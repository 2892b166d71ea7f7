// What plumb says about a run too slow for its time limit: at half of it, and when it is killed
// at it (for a CTest test, the model's core::TimeoutAccount and the note made from it).
#pragma once

#include <string>
#include <string_view>

#include "plumb/core/model.hpp"
#include "plumb/run/plan.hpp"

namespace plumb::run {

// What usually makes a run under `plan`'s tool slow, how to run it by hand and, for a CTest test,
// how to run it alone or leave it out and where its limit comes from.
std::string slow_hint(const PlannedRun& plan);

// The account of a CTest test killed at `plan`'s limit: the limit and where it comes from, the
// native time the plan knows (PlannedRun::native_s), and the commands to run it alone or leave it out.
core::TimeoutAccount timeout_account(const PlannedRun& plan);

// The note of a CTest test killed at its limit under `tool`: "timed out under memcheck after 30m00s;
// it takes 36s natively (from ...)" or that its native time is not known, where the limit comes
// from, and the commands of `account`.
std::string timeout_note(core::Tool tool, const core::TimeoutAccount& account);

}  // namespace plumb::run
