#include "plumb/core/clock.hpp"

#include <chrono>
#include <ctime>

namespace plumb::core {
namespace {

std::tm utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  return parts;
}

}  // namespace

std::string utc_timestamp() {
  const std::tm parts = utc_now();
  char text[32];
  return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts));
}

std::string utc_date() {
  const std::tm parts = utc_now();
  char text[16];
  return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%d", &parts));
}

}  // namespace plumb::core
