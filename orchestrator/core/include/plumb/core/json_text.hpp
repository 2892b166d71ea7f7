// Parsing a JSON document from text with errors that name file:line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace plumb::core {

// The 1-based line of byte `offset` in `text`.
long line_of_offset(std::string_view text, std::size_t offset);

// `text` parsed as JSON; throws UsageError "source:line: invalid JSON: ..." on a syntax error or
// an out-of-range number (nlohmann reports no position for those, so the token is located).
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

}  // namespace plumb::core
