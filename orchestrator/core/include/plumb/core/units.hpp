// Quantities as every report and terminal line prints them.
#pragma once

#include <string>

namespace plumb::core {

// Bytes in binary units with one decimal ("1.5 MiB", "-12.0 KiB"); below 1 KiB the number itself
// ("512 B", "12.5 B"); "n/a", "∞" or "-∞" when it is not finite.
std::string format_bytes(double bytes);

}  // namespace plumb::core
