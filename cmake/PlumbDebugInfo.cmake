# plumb_debuginfo: debug-info format every project target is compiled with. Valgrind 3.19 cannot
# read the DWARF 5 forms clang 14 emits by default (strx1, rnglistx), so clang builds use DWARF 4
# (as the default version only: the preset still decides how much debug info, if any).
add_library(plumb_debuginfo INTERFACE)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(plumb_debuginfo INTERFACE $<$<COMPILE_LANGUAGE:C,CXX>:-fdebug-default-version=4>)
endif()
