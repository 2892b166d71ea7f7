#include "plumb/profile/folded.hpp"

#include <charconv>

#include "plumb/core/errors.hpp"

namespace plumb::profile {

void FoldedProfile::add(const Stack& stack, std::uint64_t count) {
  if (count == 0 || stack.empty()) {
    return;
  }
  counts[stack] += count;
}

std::uint64_t FoldedProfile::total() const {
  std::uint64_t sum = 0;
  for (const auto& entry : counts) {
    sum += entry.second;
  }
  return sum;
}

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

Stack split_frames(std::string_view frames) {
  Stack stack;
  while (!frames.empty()) {
    const auto end = frames.find(';');
    const auto frame = trim(frames.substr(0, end));
    if (!frame.empty()) {
      stack.emplace_back(frame);
    }
    if (end == std::string_view::npos) {
      break;
    }
    frames.remove_prefix(end + 1);
  }
  return stack;
}

}  // namespace

FoldedProfile parse_folded(std::istream& in, const std::string& source) {
  FoldedProfile profile;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto text = trim(line);
    if (text.empty()) {
      continue;
    }
    // Frame names may contain spaces ("operator new(unsigned long)"), so the count is the last word.
    const auto space = text.find_last_of(" \t");
    if (space == std::string_view::npos) {
      throw core::UsageError(core::located_message(source, number, "expected 'frame;frame;... count', found no count"));
    }
    const auto count_text = text.substr(space + 1);
    std::uint64_t count = 0;
    const auto [end, error] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (error != std::errc{} || end != count_text.data() + count_text.size()) {
      throw core::UsageError(core::located_message(
          source, number, "the count '" + std::string(count_text) + "' is not a non-negative integer"));
    }
    const auto stack = split_frames(text.substr(0, space));
    if (stack.empty()) {
      throw core::UsageError(core::located_message(source, number, "a stack without frames"));
    }
    profile.add(stack, count);
  }
  return profile;
}

std::string to_folded_text(const FoldedProfile& profile) {
  std::string out;
  for (const auto& [stack, count] : profile.counts) {
    for (std::size_t i = 0; i < stack.size(); ++i) {
      if (i > 0) {
        out += ';';
      }
      out += stack[i];
    }
    out += ' ';
    out += std::to_string(count);
    out += '\n';
  }
  return out;
}

std::string sanitize_frame(std::string_view name) {
  std::string out(name);
  for (auto& c : out) {
    if (c == ';') {
      c = ':';
    } else if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  return out;
}

}  // namespace plumb::profile
