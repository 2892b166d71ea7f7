#include "plumb/core/units.hpp"

#include <cmath>
#include <cstdio>
#include <iterator>

namespace plumb::core {

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) {
    return std::isnan(bytes) ? "n/a" : (bytes > 0 ? "∞" : "-∞");
  }
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double magnitude = std::fabs(bytes);
  std::size_t unit = 0;
  while (magnitude >= 1024.0 && unit + 1 < std::size(kUnits)) {
    magnitude /= 1024.0;
    ++unit;
  }
  const double scaled = bytes < 0 ? -magnitude : magnitude;
  char text[48];
  if (unit == 0) {
    const double tenths = std::round(scaled * 10) / 10;
    if (tenths == std::floor(tenths)) {
      std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(tenths));
    } else {
      std::snprintf(text, sizeof text, "%.4g B", tenths);
    }
    return text;
  }
  std::snprintf(text, sizeof text, "%.1f %s", scaled, kUnits[unit]);
  return text;
}

}  // namespace plumb::core
