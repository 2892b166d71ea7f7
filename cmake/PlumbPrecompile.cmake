# plumb_precompile(TARGET HEADER...): precompiled headers for the heavy header-only libraries
# (GoogleTest, nlohmann-json, CLI11); on 2 cores they are most of a build without a compiler cache.
# Not with ccache (PlumbCompilerCache): a precompiled header is ~160 MB per target, names its build
# folder (so it differs in every clone) and, cached, would evict everything else from a 5 GB cache;
# the cache makes a second build fast without it.
option(PLUMB_PCH "Precompile the heavy third-party headers when ccache is not used" ON)

function(plumb_precompile target)
  if(PLUMB_PCH AND NOT PLUMB_CCACHE_IN_USE)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
