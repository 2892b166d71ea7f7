#include "plumb/core/json_text.hpp"

#include <algorithm>

#include "plumb/core/errors.hpp"

namespace plumb::core {

long line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

nlohmann::json parse_json_text(std::string_view text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    throw UsageError(located_message(source, line_of_offset(text, offset), "invalid JSON: " + std::string(error.what())));
  } catch (const nlohmann::json::exception& error) {
    // e.g. "number overflow parsing '1e999'": find the quoted token to name its line.
    const std::string message = error.what();
    long line = 1;
    const auto open = message.find('\'');
    const auto close = open == std::string::npos ? std::string::npos : message.find('\'', open + 1);
    if (close != std::string::npos) {
      const auto at = text.find(std::string_view(message).substr(open + 1, close - open - 1));
      if (at != std::string_view::npos) {
        line = line_of_offset(text, at);
      }
    }
    throw UsageError(located_message(source, line, "invalid JSON: " + message));
  }
}

}  // namespace plumb::core
