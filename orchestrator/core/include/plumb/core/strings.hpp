// Small string helpers shared by messages everywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plumb::core {

// The items in order, `separator` between each two ("a, b, c"); "" for none.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace plumb::core
