#include "plumb/profile/callgrind.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "plumb/core/errors.hpp"

namespace plumb::profile {

namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Resolves callgrind's name compression: "(12) name" defines id 12, "(12)" refers to it.
class NameTable {
 public:
  std::string resolve(std::string_view spec) {
    if (spec.empty() || spec.front() != '(') {
      return std::string(spec);
    }
    const auto close = spec.find(')');
    if (close == std::string_view::npos) {
      return std::string(spec);
    }
    auto id = std::string(spec.substr(1, close - 1));
    auto rest = spec.substr(close + 1);
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    if (!rest.empty()) {
      names_[id] = std::string(rest);
      return std::string(rest);
    }
    const auto it = names_.find(id);
    return it == names_.end() ? "(" + id + ")" : it->second;
  }

 private:
  std::map<std::string, std::string> names_;
};

// "callee'caller'caller2" -> {caller2, caller, callee}.
Stack context_stack(const std::string& context) {
  Stack innermost_first;
  std::size_t begin = 0;
  while (true) {
    const auto end = context.find('\'', begin);
    innermost_first.push_back(sanitize_frame(context.substr(begin, end - begin)));
    if (end == std::string::npos) {
      break;
    }
    begin = end + 1;
  }
  return {innermost_first.rbegin(), innermost_first.rend()};
}

std::uint64_t parse_cost(const std::string& word) {
  std::uint64_t value = 0;
  std::from_chars(word.data(), word.data() + word.size(), value);
  return value;
}

}  // namespace

CallgrindProfile fold_callgrind(std::istream& in, const std::string& source, const std::string& event) {
  CallgrindProfile profile;
  NameTable functions;
  std::size_t position_columns = 1;
  std::size_t event_index = 0;
  bool have_function = false;
  bool skip_next_cost = false;  // The cost line after "calls=" is the call's inclusive cost.
  std::map<std::string, std::uint64_t> self_by_context;
  std::string current;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const char first = line.front();
    const bool cost_line = (first >= '0' && first <= '9') || first == '+' || first == '-' || first == '*';
    if (cost_line) {
      if (skip_next_cost) {
        skip_next_cost = false;
        continue;
      }
      if (!have_function) {
        throw core::UsageError(core::located_message(source, number, "a cost line before any fn= line"));
      }
      const auto columns = words(line);
      const auto column = position_columns + event_index;
      if (column < columns.size()) {
        self_by_context[current] += parse_cost(columns[column]);
      }
      continue;
    }
    std::string_view text = line;
    if (starts_with(text, "fn=")) {
      current = functions.resolve(text.substr(3));
      have_function = true;
    } else if (starts_with(text, "calls=")) {
      skip_next_cost = true;
    } else if (starts_with(text, "cfn=") || starts_with(text, "cfni=")) {
      // Callee names use the same compression table as fn=.
      functions.resolve(text.substr(text.find('=') + 1));
    } else if (starts_with(text, "positions:")) {
      position_columns = std::max<std::size_t>(1, words(text.substr(10)).size());
    } else if (starts_with(text, "events:")) {
      profile.events = words(text.substr(7));
      if (profile.events.empty()) {
        throw core::UsageError(core::located_message(source, number, "an events: line naming no event"));
      }
      const auto wanted = event.empty() ? profile.events.front() : event;
      const auto it = std::find(profile.events.begin(), profile.events.end(), wanted);
      if (it == profile.events.end()) {
        throw core::UsageError(core::located_message(source, number, "the profile has no event '" + wanted + "'"));
      }
      event_index = static_cast<std::size_t>(it - profile.events.begin());
      profile.event = wanted;
    } else if (starts_with(text, "summary:") || starts_with(text, "totals:")) {
      const auto totals = words(text.substr(text.find(':') + 1));
      if (event_index < totals.size()) {
        profile.summary = parse_cost(totals[event_index]);
      }
    }
  }
  if (profile.events.empty()) {
    throw core::UsageError(core::located_message(source, 0, "not a callgrind profile: no events: line"));
  }
  for (const auto& [context, cost] : self_by_context) {
    profile.folded.add(context_stack(context), cost);
  }
  return profile;
}

}  // namespace plumb::profile
