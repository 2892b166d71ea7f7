# Run at every build (cmake -P, from orchestrator/pipeline): writes OUT, a header that defines
# PLUMB_REVISION as `git describe` of SOURCE_DIR says it, and rewrites it only when that changed,
# so a commit made after configuring is named right and an unchanged one recompiles nothing.
execute_process(COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE failed)
if(failed OR NOT revision)
  set(revision "unknown")  # not a git checkout (a source archive) or no git
endif()
string(CONCAT text "// Written by cmake/PlumbRevision.cmake at build time: the revision plumb is built from.\n"
                   "#define PLUMB_REVISION \"${revision}\"\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
