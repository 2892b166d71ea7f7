# plumb_precompile(TARGET HEADER...): precompiled headers for the heavy header-only libraries
# (GoogleTest, nlohmann-json, CLI11); on 2 cores they are most of the build time.
option(PLUMB_PCH "Precompile the heavy third-party headers" ON)

function(plumb_precompile target)
  if(PLUMB_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
