#include "plumb/core/text_file.hpp"

#include <fstream>
#include <sstream>

namespace plumb::core {

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace plumb::core
