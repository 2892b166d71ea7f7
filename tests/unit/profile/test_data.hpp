// Opening the golden profiles beside these tests.
#pragma once

#include <fstream>
#include <string>

namespace plumb::profile::testing {

// The path of golden file `name`.
inline std::string data_path(const std::string& name) { return std::string(PLUMB_PROFILE_DATA) + "/" + name; }

// Golden file `name`, opened for reading.
inline std::ifstream open_data(const std::string& name) { return std::ifstream(data_path(name), std::ios::binary); }

}  // namespace plumb::profile::testing
