#include "plumb/core/errors.hpp"

namespace plumb::core {

std::string located_message(const std::string& file, long line, const std::string& problem) {
  if (line > 0) {
    return file + ":" + std::to_string(line) + ": " + problem;
  }
  return file + ": " + problem;
}

}  // namespace plumb::core
