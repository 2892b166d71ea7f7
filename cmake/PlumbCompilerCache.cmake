# Compiles through ccache when it is installed (scripts/setup installs it), so a second build of
# any preset recompiles only what changed. PLUMB_CCACHE=OFF, or a launcher the user set, wins.
option(PLUMB_CCACHE "Compile through ccache when it is installed" ON)

find_program(PLUMB_CCACHE_PROGRAM ccache)
if(PLUMB_CCACHE AND PLUMB_CCACHE_PROGRAM)
  # Precompiled headers carry time stamps and defines ccache must be told to accept.
  set(plumb_ccache_launcher
      ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      ${PLUMB_CCACHE_PROGRAM})
  foreach(lang C CXX)
    if(NOT CMAKE_${lang}_COMPILER_LAUNCHER)
      set(CMAKE_${lang}_COMPILER_LAUNCHER ${plumb_ccache_launcher})
    endif()
  endforeach()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # Clang stamps the PCH with the header's time; ccache cannot reuse a stamped PCH.
    add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:SHELL:-Xclang -fno-pch-timestamp>")
  endif()
endif()
