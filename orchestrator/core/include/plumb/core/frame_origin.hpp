// Where a frame's code comes from: the program, or a library it calls (the C++ standard
// library, another system library). One rule, used by every parser and by analysis.
#pragma once

#include <string_view>

#include "plumb/core/model.hpp"

namespace plumb::core {

// Whether `frame` is library code, by where it comes from: an absolute source file in a system
// include tree (/usr/include, .../include/c++/...), else its object in a system library folder
// (/lib, /usr/lib) even when a relative file is given (glibc's "./libio/iofopen.c"), else a
// relative file under a standard-library include folder ("bits/stl_vector.h"), else — when the
// tool gave neither — a standard-library name (std::, __gnu_cxx::). A frame whose absolute file is
// the program's own is never library code, whatever it is called.
bool is_library_frame(const Frame& frame);

// Whether a path is one of the system's (an include tree or a library folder), not the program's.
bool is_system_path(std::string_view path);

}  // namespace plumb::core
