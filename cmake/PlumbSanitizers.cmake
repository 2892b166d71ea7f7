# plumb_sanitizers: compile and link flags for the PLUMB_SANITIZER build, and
# plumb_options: what every project target links (warnings, sanitizers, debug-info format).
add_library(plumb_sanitizers INTERFACE)
if(PLUMB_SANITIZER STREQUAL "address")
  set(_plumb_san_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-optimize-sibling-calls)
  target_compile_definitions(plumb_sanitizers INTERFACE PLUMB_SANITIZER_ADDRESS=1)
elseif(PLUMB_SANITIZER STREQUAL "thread")
  set(_plumb_san_flags -fsanitize=thread -fno-omit-frame-pointer)
  target_compile_definitions(plumb_sanitizers INTERFACE PLUMB_SANITIZER_THREAD=1)
elseif(PLUMB_SANITIZER STREQUAL "none")
  set(_plumb_san_flags -fno-omit-frame-pointer)
else()
  message(FATAL_ERROR "PLUMB_SANITIZER must be none, address or thread (got '${PLUMB_SANITIZER}')")
endif()
target_compile_options(plumb_sanitizers INTERFACE ${_plumb_san_flags})
target_link_options(plumb_sanitizers INTERFACE ${_plumb_san_flags})

add_library(plumb_options INTERFACE)
target_link_libraries(plumb_options INTERFACE plumb_warnings plumb_sanitizers plumb_debuginfo)

# Fuzzing instruments every project library for coverage; only the fuzz targets link libFuzzer's main.
if(PLUMB_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PLUMB_BUILD_FUZZ needs clang (use the fuzz preset)")
  endif()
  target_compile_options(plumb_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
