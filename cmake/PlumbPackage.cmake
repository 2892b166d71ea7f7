# `cpack -G DEB` from a build tree (the release preset's): a Debian package of `plumb` alone, with
# the tools it drives declared. plumb runs programs under valgrind and reads ctest's test list and
# CMake's file API, so those are dependencies; the sanitizer runtimes come with the compiler that
# builds the instrumented program (clang's, or gcc's libasan/libtsan), and heaptrack is optional.
set(CPACK_PACKAGE_NAME "plumb")
set(CPACK_PACKAGE_VENDOR "plumb")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Run programs and CTest suites under Valgrind and the sanitizers, one report, one gate")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_COMPONENTS_ALL plumb)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};plumb;/")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "plumb maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_STRIP_FILES ON)  # The debug info stays in the build tree; the package is the program.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The shared libraries plumb links (libc, libstdc++, fmt, sodium, sqlite, ...) found by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "valgrind, cmake (>= 3.25)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang, libclang-rt-14-dev, heaptrack, gdb, zstd")
include(CPack)
