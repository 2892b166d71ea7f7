#include "plumb/run/slow_test.hpp"

#include <cmath>

#include "plumb/core/ctest_cost.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/scheduler.hpp"
#include "plumb/run/shell.hpp"

namespace plumb::run {
namespace {

// "memcheck's usual slowdown, x50".
std::string usual_slowdown(core::Tool tool, double slowdown) {
  return std::string(core::name_of(tool)) + "'s usual slowdown, x" +
         std::to_string(static_cast<long>(std::lround(slowdown)));
}

// `text` as a TOML string: a literal one when it can be ('^a\.b$' needs no escapes), else a basic one.
std::string toml_string(std::string_view text) {
  if (text.find_first_of("'\n\r") == std::string_view::npos) {
    return "'" + std::string(text) + "'";
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string slow_hint(const PlannedRun& plan) {
  const std::string because(core::spec_of(plan.tool).slow_because);
  const std::string repro =
      plan.suite.empty() ? "plumb repro " + shell_quote(plan.name)
                         : "plumb repro " + shell_quote(plan.suite) + " --test " + shell_quote(plan.test);
  std::string hint =
      (because.empty() ? "" : because + "; ") + "`" + repro + "` prints its command to run it by hand";
  if (!plan.suite.empty()) {
    const core::TimeoutAccount account = timeout_account(plan);
    hint += ", `" + account.run_alone + "` runs it alone, `" + account.exclude + "` leaves it out";
    if (account.native_s) {
      hint += "; it takes " + format_elapsed(*account.native_s) + " natively";
    }
  }
  if (plan.ctest_timeout_s > 0) {
    hint += "; its limit is its CTest TIMEOUT of " + format_elapsed(plan.ctest_timeout_s) + " times " +
            usual_slowdown(plan.tool, core::spec_of(plan.tool).slowdown);
  }
  return hint;
}

core::TimeoutAccount timeout_account(const PlannedRun& plan) {
  core::TimeoutAccount account;
  account.limit_s = plan.timeout_s;
  account.ctest_timeout_s = plan.ctest_timeout_s;
  account.slowdown = core::spec_of(plan.tool).slowdown;
  if (plan.native_s) {
    account.native_s = plan.native_s;
    account.native_from = core::NativeTimeSource::CtestCostData;
    account.native_where = plan.native_where;
  }
  const std::string pattern = core::anchored_test_regex(plan.test);
  account.run_alone = "plumb run --variant " + shell_quote(plan.suite) + " --test " + shell_quote(plan.test);
  account.exclude = "plumb run --exclude-test " + shell_quote(pattern);
  account.exclude_config = "ctest = { exclude = " + toml_string(pattern) + " }";
  return account;
}

std::string timeout_note(core::Tool tool, const core::TimeoutAccount& account) {
  std::string note = "timed out under " + std::string(core::name_of(tool)) + " after " + format_elapsed(account.limit_s);
  if (account.native_s) {
    note += "; it takes " + format_elapsed(*account.native_s) + " natively (";
    switch (account.native_from) {
      case core::NativeTimeSource::NativeRun:
        note += "its run " + account.native_where + " in this report";
        break;
      case core::NativeTimeSource::CtestCostData:
        note += "CTest's cost data, " + account.native_where;
        break;
      case core::NativeTimeSource::Unknown:
        note += "measured elsewhere";
        break;
    }
    note += "), about " + format_elapsed(*account.native_s * account.slowdown) + " at " +
            usual_slowdown(tool, account.slowdown);
  } else {
    note +=
        "; its native time is not known (no native run of it in this report, and no CTest cost data in an "
        "uninstrumented build tree: one `ctest` run there records it)";
  }
  note += account.ctest_timeout_s > 0
              ? "; its limit is its CTest TIMEOUT of " + format_elapsed(account.ctest_timeout_s) + " times " +
                    usual_slowdown(tool, account.slowdown)
              : "; its limit is the tier's timeout_s";
  note += ". Run it alone: `" + account.run_alone + "`; leave it out: `" + account.exclude + "`, or `" +
          account.exclude_config + "` in the variant";
  return note;
}

}  // namespace plumb::run
