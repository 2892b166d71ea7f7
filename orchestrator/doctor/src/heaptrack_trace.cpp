#include "plumb/doctor/heaptrack_trace.hpp"

#include <limits>

#include "plumb/core/errors.hpp"

namespace plumb::doctor {

void TraceSink::on_time(std::uint64_t) {}
void TraceSink::on_allocation(std::uint64_t, std::uint32_t) {}
void TraceSink::on_free(std::uint64_t, std::uint32_t) {}

namespace {

// The newest file format this reader knows (heaptrack 1.2 and later write 3).
constexpr unsigned kNewestFormat = 3;
// How many unreadable lines the summary quotes.
constexpr std::size_t kQuotedProblems = 5;

// The fields of one record after its mode character.
class Fields {
 public:
  explicit Fields(std::string_view line) : rest_(line.size() > 2 ? line.substr(2) : std::string_view{}) {}

  // The next hex number; false at the end or on a character that is not a hex digit.
  bool hex(std::uint64_t& value) {
    if (rest_.empty()) return false;
    std::uint64_t result = 0;
    std::size_t i = 0;
    for (; i < rest_.size() && rest_[i] != ' '; ++i) {
      const char c = rest_[i];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else {
        return false;
      }
      if (result > (std::numeric_limits<std::uint64_t>::max() >> 4)) return false;
      result = result * 16 + digit;
    }
    if (i == 0) return false;
    rest_.remove_prefix(i < rest_.size() ? i + 1 : i);
    value = result;
    return true;
  }

  // The next number when it fits 32 bits.
  bool index(std::uint32_t& value) {
    std::uint64_t wide = 0;
    if (!hex(wide) || wide > std::numeric_limits<std::uint32_t>::max()) return false;
    value = static_cast<std::uint32_t>(wide);
    return true;
  }

  // A sized string ("<length> <bytes>"), format 3 and later.
  bool sized(std::string& text) {
    std::uint64_t length = 0;
    if (!hex(length) || length > rest_.size()) return false;
    text.assign(rest_.substr(0, length));
    rest_.remove_prefix(length);
    return true;
  }

  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

TraceReader::TraceReader(TraceSink& sink) : sink_(sink) {}

void TraceReader::problem(std::string_view why) {
  ++summary_.bad_lines;
  if (summary_.problems.size() < kQuotedProblems) {
    summary_.problems.push_back("line " + std::to_string(summary_.lines) + ": " + std::string(why));
  }
}

const std::string& TraceReader::string_at(std::uint32_t index) const {
  static const std::string none;
  return index == 0 || index > strings_.size() ? none : strings_[index - 1];
}

void TraceReader::feed(std::string_view line) {
  ++summary_.lines;
  if (line.empty() || line[0] == '#') return;
  // heaptrack writes the program's command line as it is, line breaks included (python3 -c "..."):
  // right after the X record, a line that cannot be a record ("m" or "m ...") continues it.
  const bool record_shaped = line[0] != ' ' && line[0] != '\t' && (line.size() == 1 || line[1] == ' ');
  if (in_program_ && !record_shaped) {
    summary_.program += "\n";
    summary_.program.append(line);
    return;
  }
  in_program_ = line[0] == 'X';
  Fields fields(line);
  switch (line[0]) {
    case 'v': {
      std::uint64_t version = 0;
      std::uint64_t format = 0;
      if (!fields.hex(version)) return problem("a version record without a version");
      if (!fields.hex(format)) format = version == 0x010200 ? 1 : 0;
      if (format > kNewestFormat) {
        throw core::UsageError("heaptrack trace line " + std::to_string(summary_.lines) + ": file format " +
                               std::to_string(format) + " is newer than the " + std::to_string(kNewestFormat) +
                               " plumb reads");
      }
      summary_.file_version = static_cast<unsigned>(format);
      return;
    }
    case 's': {
      std::string text;
      if (summary_.file_version >= 3) {
        if (!fields.sized(text)) return problem("a string shorter than its length");
      } else {
        text.assign(line.size() > 2 ? line.substr(2) : std::string_view{});
      }
      strings_.push_back(std::move(text));
      return;
    }
    case 'i': {
      std::uint64_t address = 0;
      InstructionPointer ip;
      if (!fields.hex(address) || !fields.index(ip.module)) return problem("an instruction pointer without its module");
      while (!fields.empty()) {
        Location location;
        std::uint64_t line_number = 0;
        if (!fields.index(location.function)) return problem("an unreadable frame");
        if (fields.index(location.file) && fields.hex(line_number)) {
          location.line = static_cast<int>(std::min<std::uint64_t>(line_number, std::numeric_limits<int>::max()));
        }
        ip.frames.push_back(location);
      }
      ips_.push_back(std::move(ip));
      return;
    }
    case 't': {
      TraceNode node;
      if (!fields.index(node.ip) || !fields.index(node.parent)) return problem("a trace node without ip and parent");
      traces_.push_back(node);
      return;
    }
    case 'a': {
      AllocationInfo info;
      if (!fields.hex(info.size) || !fields.index(info.trace)) return problem("an allocation info without size and trace");
      allocations_.push_back(info);
      return;
    }
    case '+':
    case '-': {
      std::uint64_t index = 0;
      if (!fields.hex(index) || index >= allocations_.size()) {
        return problem("an allocation event naming no allocation info");
      }
      const auto& info = allocations_[index];
      if (line[0] == '+') {
        ++summary_.allocations;
        sink_.on_allocation(info.size, info.trace);
      } else {
        ++summary_.frees;
        sink_.on_free(info.size, info.trace);
      }
      return;
    }
    case 'c': {
      std::uint64_t ms = 0;
      if (!fields.hex(ms)) return problem("a time stamp without a time");
      if (ms < summary_.last_ms) return problem("a time stamp earlier than the one before");
      summary_.last_ms = ms;
      sink_.on_time(ms);
      return;
    }
    case 'X':
      summary_.program.assign(line.size() > 2 ? line.substr(2) : std::string_view{});
      return;
    case 'A':
      summary_.attached = true;
      return;
    case 'I': {
      std::uint64_t page_size = 0;
      if (fields.hex(page_size)) summary_.page_size = page_size;
      return;
    }
    case 'R':  // heaptrack's own RSS samples; the doctor reads /proc itself.
    case 'S':  // Suppressions embedded by the program; plumb applies its own.
      return;
    case 'x':
    case 'm':
      throw core::UsageError("heaptrack trace line " + std::to_string(summary_.lines) +
                             ": a raw trace; interpret it first (heaptrack_interpret < raw > trace)");
    default:
      return problem("an unknown record '" + std::string(1, line[0]) + "'");
  }
}

void TraceReader::read(std::istream& in) {
  std::string line;
  while (std::getline(in, line)) {
    feed(line);
  }
}

std::vector<core::Frame> TraceReader::stack(std::uint32_t trace) const {
  std::vector<core::Frame> frames;
  // A trace node's parent always comes before it, so the walk ends; the bound guards a damaged file.
  for (std::size_t steps = 0; trace != 0 && trace <= traces_.size() && steps <= traces_.size(); ++steps) {
    const auto& node = traces_[trace - 1];
    if (node.ip != 0 && node.ip <= ips_.size()) {
      const auto& ip = ips_[node.ip - 1];
      if (ip.frames.empty()) {
        core::Frame frame;
        frame.object = string_at(ip.module);
        frames.push_back(std::move(frame));
      }
      for (const auto& location : ip.frames) {
        core::Frame frame;
        frame.function = string_at(location.function);
        frame.file = string_at(location.file);
        frame.line = location.line;
        frame.object = string_at(ip.module);
        frames.push_back(std::move(frame));
      }
    }
    if (node.parent >= trace) break;
    trace = node.parent;
  }
  return frames;
}

}  // namespace plumb::doctor
