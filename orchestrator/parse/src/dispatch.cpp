#include "plumb/parse/parse.hpp"

#include "plumb/core/tools.hpp"
#include "plumb/parse/massif.hpp"
#include "plumb/parse/memcheck_xml.hpp"
#include "plumb/parse/samples.hpp"
#include "plumb/parse/sanitizer_text.hpp"

namespace plumb::parse {

core::ParseResult parse_log(core::LogFormat format, std::istream& in) {
  switch (format) {
    case core::LogFormat::Memcheck:
      return parse_memcheck(in);
    case core::LogFormat::Massif:
      return parse_massif(in);
    case core::LogFormat::Asan:
      return parse_asan(in);
    case core::LogFormat::Lsan:
      return parse_lsan(in);
    case core::LogFormat::Ubsan:
      return parse_ubsan(in);
    case core::LogFormat::Tsan:
      return parse_tsan(in);
    case core::LogFormat::Samples:
      break;
  }
  return parse_samples(in);
}

}  // namespace plumb::parse
