# plumb_warnings: the warning set every project target builds with.
add_library(plumb_warnings INTERFACE)
target_compile_options(plumb_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2 -Wcast-qual -Wundef
  $<$<BOOL:${PLUMB_WERROR}>:-Werror>)
