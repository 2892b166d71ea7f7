# Compiles through ccache when it is installed (scripts/setup installs it), so a second build of
# any preset recompiles only what changed. PLUMB_CCACHE=OFF, or a launcher the user set, wins.
option(PLUMB_CCACHE "Compile through ccache when it is installed" ON)

find_program(PLUMB_CCACHE_PROGRAM ccache)
set(PLUMB_CCACHE_IN_USE FALSE)
if(PLUMB_CCACHE AND PLUMB_CCACHE_PROGRAM AND NOT CMAKE_C_COMPILER_LAUNCHER AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(PLUMB_CCACHE_IN_USE TRUE)  # PlumbPrecompile then precompiles nothing.
  # A header written moments before the compile (a fresh clone's, a generated one) may still be
  # cached by its content.
  set(plumb_ccache_env "CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime")

  # A build folder inside the source tree (every preset's build/<name>) is compiled relocatably, so
  # a fresh clone in another folder reuses what an earlier clone compiled: ccache rewrites the
  # paths under the source tree to relative ones and leaves the compiler's folder out of its key,
  # and the debug information names sources relative to the source root ("scanner/src/scan.cpp"),
  # as valgrind, the sanitizers and SARIF then print them, not relative to the build folder.
  file(RELATIVE_PATH plumb_build_folder "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}")
  if(plumb_build_folder AND NOT plumb_build_folder MATCHES "^\\.\\.")
    string(REGEX REPLACE "[^/]+" ".." plumb_up_to_source "${plumb_build_folder}")
    list(APPEND plumb_ccache_env "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" "CCACHE_NOHASHDIR=true")
    add_compile_options("-fdebug-prefix-map=${CMAKE_BINARY_DIR}=." "-fdebug-prefix-map=${plumb_up_to_source}/=")
  endif()

  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env ${plumb_ccache_env} ${PLUMB_CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_C_COMPILER_LAUNCHER})
endif()
