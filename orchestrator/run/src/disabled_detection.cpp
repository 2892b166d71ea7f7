#include "plumb/run/disabled_detection.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::run {
namespace {

using core::FindingKind;

// An option value that switches a thing off, as valgrind and the sanitizers spell it.
bool is_off(std::string_view value) {
  return value == "0" || value == "no" || value == "false";
}

const std::vector<FindingKind> kLeaks = {FindingKind::LeakDefinite, FindingKind::LeakIndirect,
                                         FindingKind::LeakPossible, FindingKind::LeakReachable};

// What `key`=`value` switches off under `tool` (empty: nothing).
std::vector<FindingKind> hidden_by(core::Tool tool, std::string_view key, std::string_view value) {
  switch (tool) {
    case core::Tool::Memcheck:
      if (key == "--leak-check" && (value == "no" || value == "summary")) {
        return kLeaks;
      }
      if (key == "--show-leak-kinds" && value == "none") {
        return kLeaks;
      }
      if (key == "--track-fds" && is_off(value)) {
        return {FindingKind::FdLeak};
      }
      break;
    case core::Tool::Asan:
      if (key == "detect_leaks" && is_off(value)) {
        return {FindingKind::LeakDefinite, FindingKind::LeakIndirect};
      }
      break;
    case core::Tool::Tsan:
      if (key == "report_bugs" && is_off(value)) {
        return {FindingKind::Race, FindingKind::Deadlock, FindingKind::ThreadLeak};
      }
      if (key == "report_thread_leaks" && is_off(value)) {
        return {FindingKind::ThreadLeak};
      }
      if (key == "detect_deadlocks" && is_off(value)) {
        return {FindingKind::Deadlock};
      }
      break;
    case core::Tool::Massif:  // None has an option that hides a kind of finding.
    case core::Tool::Native:
    case core::Tool::Doctor:
      break;
  }
  return {};
}

}  // namespace

std::vector<DisabledDetection> disabled_detection(core::Tool tool, const std::vector<std::string>& tool_args) {
  // The last setting of each option, as the tool reads them.
  std::map<std::string, std::string> last;
  std::vector<std::string> order;
  for (const std::string& arg : tool_args) {
    const std::size_t equals = arg.find('=');
    const std::string key = arg.substr(0, equals);
    if (last.count(key) == 0) {
      order.push_back(key);
    }
    last[key] = arg;
  }
  std::vector<DisabledDetection> found;
  for (const std::string& key : order) {
    const std::string& arg = last[key];
    const std::size_t equals = arg.find('=');
    const std::string_view value =
        equals == std::string::npos ? std::string_view() : std::string_view(arg).substr(equals + 1);
    std::vector<FindingKind> kinds = hidden_by(tool, key, value);
    if (!kinds.empty()) {
      found.push_back(DisabledDetection{arg, std::move(kinds)});
    }
  }
  return found;
}

std::vector<std::string> check_disabled_detection(core::Tool tool,
                                                  const std::vector<std::string>& tool_args,
                                                  const std::set<core::FindingKind>& gating_kinds,
                                                  bool allowed, const std::string& who,
                                                  const std::string& how_to_allow) {
  std::vector<std::string> lines;
  for (const DisabledDetection& off : disabled_detection(tool, tool_args)) {
    std::string kinds;
    std::string gated;
    for (const FindingKind kind : off.kinds) {
      kinds += (kinds.empty() ? "" : ", ") + std::string(core::to_string(kind));
      if (gating_kinds.count(kind) != 0) {
        gated += (gated.empty() ? "" : ", ") + std::string(core::to_string(kind));
      }
    }
    if (!gated.empty() && !allowed) {
      throw core::UsageError(who + ": tool argument '" + off.arg + "' turns off " + std::string(core::name_of(tool)) +
                             "'s detection of " + gated +
                             ", which the gate asks for: the run could not "
                             "see them and would pass; remove it, or " +
                             how_to_allow + " to accept a run blind to them");
    }
    lines.push_back("detection off: " + off.arg + " (" + kinds + " not seen)");
  }
  return lines;
}

}  // namespace plumb::run
