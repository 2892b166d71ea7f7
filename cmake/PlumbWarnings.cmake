# plumb_warnings: the warning set every project target builds with.
add_library(plumb_warnings INTERFACE)
target_compile_options(plumb_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2 -Wcast-qual -Wundef
  $<$<BOOL:${PLUMB_WERROR}>:-Werror>)
# gcc 12 reports std::string copies inlined from libstdc++ as out-of-bounds or overlapping at -O1
# and above (GCC bugs 105329, 105651): false positives in the library's own code, which would
# fail every optimised -Werror build. gcc 13 fixed them; clang keeps its own array-bounds check.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(plumb_warnings INTERFACE -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow)
endif()
