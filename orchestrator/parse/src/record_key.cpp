#include "plumb/parse/record_key.hpp"

#include <cctype>
#include <string_view>

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

// `text` with every hexadecimal number reduced to "0x": two reports of one defect name other
// addresses, and must still merge.
void append_without_addresses(std::string& key, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    key += text[i];
    if (text[i] == '0' && i + 1 < text.size() && text[i + 1] == 'x') {
      key += 'x';
      i += 2;
      while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])) != 0) {
        ++i;
      }
      --i;
    }
  }
}

}  // namespace

std::string record_key(const core::Finding& finding) {
  std::string key(core::to_string(finding.kind));
  key += '\x1d';
  key += finding.detail;
  key += '\x1d';
  key += finding.message;
  key += '\x1d';
  append_without_addresses(key, finding.address);
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
