#include "plumb/parse/record_key.hpp"

namespace plumb::parse {
namespace {

void append_stack(std::string& key, const std::vector<core::Frame>& frames) {
  for (const core::Frame& frame : frames) {
    key += frame.function;
    key += '\x1f';
    key += frame.file;
    key += '\x1f';
    key += std::to_string(frame.line);
    key += '\x1f';
    key += frame.object;
    key += '\x1e';
  }
  key += '\x1d';
}

}  // namespace

std::string record_key(const core::Finding& finding) {
  std::string key(core::to_string(finding.kind));
  key += '\x1d';
  key += finding.detail;
  key += '\x1d';
  key += finding.message;
  key += '\x1d';
  append_stack(key, finding.frames);
  for (const auto& stack : finding.related_stacks) {
    append_stack(key, stack);
  }
  for (const std::string& label : finding.stack_labels) {
    key += label;
    key += '\x1e';
  }
  return key;
}

bool merges_repeats(core::FindingKind kind) {
  return kind != core::FindingKind::LeakDefinite && kind != core::FindingKind::LeakIndirect &&
         kind != core::FindingKind::LeakPossible && kind != core::FindingKind::LeakReachable &&
         kind != core::FindingKind::FdLeak;
}

}  // namespace plumb::parse
