# plumb_add_gtest(NAME SOURCES... LIBS ...): one GoogleTest executable whose cases are registered
# with CTest one by one; under valgrind (PLUMB_TEST_UNDER_VALGRIND) the whole executable is one
# CTest test instead, since each valgrind start costs ~1.5 s and there are ~450 cases.
if(PLUMB_BUILD_TESTS)
  enable_testing()
  include(GoogleTest)
endif()

if(PLUMB_TEST_UNDER_VALGRIND)
  find_program(PLUMB_VALGRIND valgrind REQUIRED)
  set(PLUMB_VALGRIND_COMMAND ${PLUMB_VALGRIND} --error-exitcode=99 --leak-check=full
      --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible
      --track-origins=yes --quiet
      --suppressions=${PROJECT_SOURCE_DIR}/suppressions/native/valgrind.supp)
endif()

# Test programs that only transform data (logs in, reports out): ASan+UBSan and the gcc/clang
# builds check them on every change; under memcheck they run nightly only (label memcheck-nightly,
# which the valgrind test preset leaves out and valgrind-full runs). What handles processes,
# threads, the harness and the scanner stays under memcheck on every change (docs/ARCHITECTURE.md,
# "Which tests run under memcheck").
set(PLUMB_MEMCHECK_NIGHTLY_ONLY
    parse_golden_test parse_unit_test analyze_test reports_test reports_browser_test pipeline_test
    init_test cli_test config_test profile_test fuzz_regressions_test faults_big_log_test)

function(plumb_add_gtest name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIMEOUT" "SOURCES;LIBS;LABELS")
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBS} GTest::gtest GTest::gtest_main GTest::gmock plumb_options)
  plumb_precompile(${name} <gtest/gtest.h> <gmock/gmock.h> <nlohmann/json.hpp> <filesystem> <string> <vector>)
  if(PLUMB_TEST_UNDER_VALGRIND)
    set_target_properties(${name} PROPERTIES CROSSCOMPILING_EMULATOR "${PLUMB_VALGRIND_COMMAND}")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 600)
  endif()
  if(PLUMB_TEST_UNDER_VALGRIND)
    # add_test prepends the target's CROSSCOMPILING_EMULATOR: valgrind.
    add_test(NAME ${name} COMMAND ${name})
    math(EXPR _binary_timeout "${arg_TIMEOUT} * 3")
    set(_labels ${arg_LABELS})
    if(name IN_LIST PLUMB_MEMCHECK_NIGHTLY_ONLY)
      list(APPEND _labels memcheck-nightly)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${_binary_timeout} LABELS "${_labels}")
    return()
  endif()
  # A list value must stay one property argument through gtest_discover_tests' own parsing.
  string(REPLACE ";" "\\;" _labels "${arg_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 120
    PROPERTIES TIMEOUT ${arg_TIMEOUT} LABELS "${_labels}")
endfunction()
