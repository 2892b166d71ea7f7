#include "plumb/parse/parse.hpp"

#include <string>

#include "plumb/core/errors.hpp"
#include "plumb/parse/massif.hpp"
#include "plumb/parse/memcheck_xml.hpp"
#include "plumb/parse/samples.hpp"
#include "plumb/parse/sanitizer_text.hpp"

namespace plumb::parse {

core::ParseResult parse_log(std::string_view tool, std::istream& in) {
  if (tool == "memcheck") {
    return parse_memcheck(in);
  }
  if (tool == "massif") {
    return parse_massif(in);
  }
  if (tool == "asan") {
    return parse_asan(in);
  }
  if (tool == "lsan") {
    return parse_lsan(in);
  }
  if (tool == "ubsan") {
    return parse_ubsan(in);
  }
  if (tool == "tsan") {
    return parse_tsan(in);
  }
  if (tool == "samples") {
    return parse_samples(in);
  }
  throw core::UsageError("unknown tool \"" + std::string(tool) +
                         "\" (expected memcheck, massif, asan, lsan, ubsan, tsan or samples)");
}

}  // namespace plumb::parse
