// The unified suppressions as each tool's native suppressions file.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>
#include <utility>

#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;

// The native suppressions files: valgrind's and each sanitizer's. Not a core::LogFormat: valgrind's
// one file serves memcheck and massif, and ASan reads LSan's.
enum class NativeFormat { Valgrind, Lsan, Tsan, Ubsan };

// Each format by the name `plumb suppressions export --tool` gives it (the command maps a tool's
// name to the format the tool reads).
constexpr std::pair<NativeFormat, std::string_view> kNativeFormats[] = {{NativeFormat::Valgrind, "valgrind"},
                                                                        {NativeFormat::Lsan, "lsan"},
                                                                        {NativeFormat::Tsan, "tsan"},
                                                                        {NativeFormat::Ubsan, "ubsan"}};

// The format named `name`, or nullopt.
std::optional<NativeFormat> native_format_named(std::string_view name) {
  for (const auto& [format, spelled] : kNativeFormats) {
    if (name == spelled) {
      return format;
    }
  }
  return std::nullopt;
}

bool has(const Suppression& entry, FindingKind kind) {
  return std::find(entry.kinds.begin(), entry.kinds.end(), kind) != entry.kinds.end();
}

bool has_glob(std::string_view text) {
  return text.find_first_of("*?") != std::string_view::npos;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Splits "a::b<c::d>::e" at the "::" that are outside <> and ().
std::vector<std::string> split_qualified(std::string_view name) {
  std::vector<std::string> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '<' || c == '(') {
      ++depth;
    } else if ((c == '>' || c == ')') && depth > 0) {
      --depth;
    } else if (depth == 0 && c == ':' && i + 1 < name.size() && name[i + 1] == ':') {
      parts.emplace_back(name.substr(start, i - start));
      start = i + 2;
      ++i;
    }
  }
  parts.emplace_back(name.substr(start));
  return parts;
}

std::string collapse_stars(std::string text) {
  text.erase(std::unique(text.begin(), text.end(), [](char a, char b) { return a == '*' && b == '*'; }),
             text.end());
  return text;
}

// Valgrind matches `fun:` against mangled C++ names, so a demangled glob "ns::f" becomes the
// mangled-name glob "_Z*2ns1f*": each plain component as <length><name>, anything else as "*".
std::string mangled_glob(std::string_view glob) {
  const auto parts = split_qualified(glob);
  std::string out = "_Z*";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const auto template_start = part.find('<');
    const std::string base = part.substr(0, template_start);
    if (part == "(anonymous namespace)") {
      out += "12_GLOBAL__N_1";
    } else if (i == 0 && base == "std" && parts.size() > 1) {
      out += "St";
    } else if (is_identifier(base) && !(i > 0 && base == parts[i - 1])) {
      out += std::to_string(base.size()) + base;
    } else if (has_glob(base) && base.find_first_of("()<>{} ~") == std::string::npos) {
      out += "*" + base + "*";
    } else {
      out += "*";
    }
    if (template_start != std::string::npos) {
      out += "*";
    }
  }
  return collapse_stars(out + "*");
}

// The `fun:` alternatives of one frame glob: a name without "::" may be a C function (matched
// as written) or a C++ free function (matched mangled); a qualified name is C++ only.
std::vector<std::string> valgrind_alternatives(const std::string& glob) {
  if (glob == "...") {
    return {"..."};
  }
  if (glob.find_first_not_of('*') == std::string::npos) {
    return {"fun:*"};
  }
  if (glob == "main") {
    return {"fun:main"};
  }
  if (split_qualified(glob).size() == 1 && glob.find_first_of("<( ") == std::string::npos) {
    return {"fun:" + glob, "fun:" + mangled_glob(glob)};
  }
  return {"fun:" + mangled_glob(glob)};
}

// Every combination of alternatives, capped so an entry cannot explode into thousands of blocks.
std::vector<std::vector<std::string>> frame_combinations(const std::vector<std::string>& frames) {
  constexpr std::size_t kMaxCombinations = 16;
  std::vector<std::vector<std::string>> combinations = {{}};
  for (const auto& glob : frames) {
    auto alternatives = valgrind_alternatives(glob);
    if (combinations.size() * alternatives.size() > kMaxCombinations) {
      alternatives.resize(1);  // Past the cap, keep the C spelling (the first alternative) only.
    }
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : combinations) {
      for (const auto& alternative : alternatives) {
        next.push_back(prefix);
        next.back().push_back(alternative);
      }
    }
    combinations = std::move(next);
  }
  return combinations;
}

// Memcheck's error suppression kinds that map to memory.error (Param takes an extra line).
constexpr std::string_view kMemcheckErrorKinds[] = {
    "Addr1",   "Addr2",   "Addr4", "Addr8", "Addr16",  "Addr32", "Value1",     "Value2", "Value4", "Value8",
    "Value16", "Value32", "Cond",  "Free",  "Overlap", "Jump",   "FishyValue", "User",   "Param"};

void write_valgrind_block(std::ostringstream& out, const std::string& name, std::string_view kind,
                          std::string_view extra, const std::vector<std::string>& frames) {
  out << "{\n   " << name << "\n   Memcheck:" << kind << "\n";
  if (!extra.empty()) {
    out << "   " << extra << "\n";
  }
  // The unified pattern starts at the innermost user frame; valgrind's stack starts in the allocator.
  out << "   ...\n";
  for (const auto& frame : frames) {
    if (!(frame == "..." && &frame == &frames.front())) {
      out << "   " << frame << "\n";
    }
  }
  out << "}\n";
}

std::string export_valgrind(const SuppressionSet& set) {
  std::ostringstream out;
  for (const auto& entry : set.entries) {
    std::string leak_kinds;
    for (const auto& [kind, name] :
         {std::pair{FindingKind::LeakDefinite, "definite"}, std::pair{FindingKind::LeakIndirect, "indirect"},
          std::pair{FindingKind::LeakPossible, "possible"},
          std::pair{FindingKind::LeakReachable, "reachable"}}) {
      if (has(entry, kind)) {
        leak_kinds += (leak_kinds.empty() ? "" : ",") + std::string(name);
      }
    }
    const bool errors = has(entry, FindingKind::MemoryError);
    if (leak_kinds.empty() && !errors) {
      continue;
    }
    out << "# " << entry.id << ": " << entry.reason << "\n";
    const auto combinations = frame_combinations(entry.frames);
    for (std::size_t c = 0; c < combinations.size(); ++c) {
      const std::string name = entry.id + (combinations.size() > 1 ? "#" + std::to_string(c + 1) : "");
      if (!leak_kinds.empty()) {
        write_valgrind_block(out, name, "Leak", "match-leak-kinds: " + leak_kinds, combinations[c]);
      }
      if (errors) {
        for (const auto kind : kMemcheckErrorKinds) {
          write_valgrind_block(out, name + ":" + std::string(kind), kind, kind == "Param" ? "*" : "",
                               combinations[c]);
        }
      }
    }
  }
  return out.str();
}

// The sanitizers match one pattern against any frame of a report (a substring match with `*`
// wildcards), so the most specific glob of an entry stands for it: its innermost concrete one.
std::optional<std::string> sanitizer_pattern(const Suppression& entry) {
  for (const auto& glob : entry.frames) {
    if (glob != "..." && glob.find_first_not_of("*?") != std::string::npos) {
      std::string pattern = glob;
      std::replace(pattern.begin(), pattern.end(), '?', '*');  // The sanitizers know only `*`.
      return collapse_stars(pattern);
    }
  }
  return std::nullopt;
}

void write_sanitizer_lines(std::ostringstream& out, const Suppression& entry,
                           const std::vector<std::string_view>& types) {
  if (types.empty()) {
    return;
  }
  out << "# " << entry.id << ": " << entry.reason << "\n";
  const auto pattern = sanitizer_pattern(entry);
  if (!pattern) {
    out << "# (skipped: no concrete frame glob to match on)\n";
    return;
  }
  // A sanitizer pattern matches one frame anywhere in a report; it cannot say "this frame, called
  // from that one". An entry with a chain of frames has no equal here: a line for its innermost
  // frame would also hide every other report through that frame. Such lines are written commented
  // out, saying so; plumb applies the whole entry itself.
  const std::size_t concrete = static_cast<std::size_t>(
      std::count_if(entry.frames.begin(), entry.frames.end(), [](const std::string& glob) {
        return glob != "..." && glob.find_first_not_of("*?") != std::string::npos;
      }));
  if (concrete > 1) {
    out << "# not exported: the entry matches a chain of " << concrete
        << " frames and a sanitizer line matches\n"
        << "# one frame anywhere, so this line would also suppress every other report through " << *pattern
        << ".\n# Uncomment it only if that is what you want; plumb applies the entry as written.\n";
    for (const auto type : types) {
      out << "# " << type << ":" << *pattern << "\n";
    }
    return;
  }
  for (const auto type : types) {
    out << type << ":" << *pattern << "\n";
  }
}

// The check names both GCC 12's and clang 14's UBSan accept in a suppressions file.
constexpr std::string_view kUbsanChecks[] = {"alignment",
                                             "bool",
                                             "bounds",
                                             "enum",
                                             "float-cast-overflow",
                                             "float-divide-by-zero",
                                             "integer-divide-by-zero",
                                             "nonnull-attribute",
                                             "null",
                                             "object-size",
                                             "pointer-overflow",
                                             "return",
                                             "returns-nonnull-attribute",
                                             "shift-base",
                                             "shift-exponent",
                                             "signed-integer-overflow",
                                             "unreachable",
                                             "vla-bound",
                                             "vptr"};

std::string export_sanitizer(const SuppressionSet& set, NativeFormat format) {
  std::ostringstream out;
  for (const auto& entry : set.entries) {
    std::vector<std::string_view> types;
    switch (format) {
      case NativeFormat::Lsan:
        if (has(entry, FindingKind::LeakDefinite) || has(entry, FindingKind::LeakIndirect) ||
            has(entry, FindingKind::LeakPossible) || has(entry, FindingKind::LeakReachable)) {
          types.push_back("leak");
        }
        break;
      case NativeFormat::Tsan:
        if (has(entry, FindingKind::Race)) {
          types.push_back("race");
        }
        if (has(entry, FindingKind::ThreadLeak)) {
          types.push_back("thread");
        }
        if (has(entry, FindingKind::Deadlock)) {
          types.push_back("deadlock");
        }
        break;
      case NativeFormat::Ubsan:
        if (has(entry, FindingKind::Ub)) {
          types.assign(std::begin(kUbsanChecks), std::end(kUbsanChecks));
        }
        break;
      case NativeFormat::Valgrind:  // Written by export_valgrind, in its own syntax.
        break;
    }
    write_sanitizer_lines(out, entry, types);
  }
  return out.str();
}

}  // namespace

std::string export_suppressions(const SuppressionSet& set, std::string_view tool) {
  const std::string source = std::filesystem::path(set.source).filename().string();
  std::string header =
      " suppressions exported from " + (source.empty() ? std::string("plumb.toml") : source) +
      " by `plumb suppressions export --tool " + std::string(tool) + "`; edit the source, not this file.\n";
  const std::optional<NativeFormat> format = native_format_named(tool);
  if (!format) {
    throw core::UsageError("unknown suppressions tool \"" + std::string(tool) +
                           "\" (expected valgrind, lsan, tsan or ubsan)");
  }
  switch (*format) {
    case NativeFormat::Valgrind:
      return "# Valgrind" + header + "# C++ names are matched as mangled-name globs (_Z*<len><name>...).\n" +
             export_valgrind(set);
    case NativeFormat::Lsan:
      return "# LeakSanitizer" + header +
             "# One `leak:` line per entry of one concrete frame glob; an entry with a chain of\n"
             "# frames has no LSan equal and is written commented out.\n" +
             export_sanitizer(set, *format);
    case NativeFormat::Tsan:
      return "# ThreadSanitizer" + header +
             "# race:/thread:/deadlock: lines on each entry's concrete glob; an entry with a chain of\n"
             "# frames has no TSan equal and is written commented out.\n" +
             export_sanitizer(set, *format);
    case NativeFormat::Ubsan:
      break;
  }
  return "# UndefinedBehaviorSanitizer" + header +
         "# One `check:pattern` line per UBSan check for each ub entry.\n" + export_sanitizer(set, *format);
}

}  // namespace plumb::analyze
