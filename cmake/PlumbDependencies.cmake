# Every dependency is a Debian package; nothing is fetched at configure or build time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(SQLite3 REQUIRED)
find_package(EXPAT REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED)

# Boost.Process v2 is header-only in 1.81; std::filesystem keeps Boost.Filesystem out.
add_library(plumb_boost_process INTERFACE)
target_link_libraries(plumb_boost_process INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(plumb_boost_process INTERFACE BOOST_PROCESS_USE_STD_FS BOOST_ASIO_NO_DEPRECATED)

if(PLUMB_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PLUMB_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
