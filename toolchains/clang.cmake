# Compiler choice only: Clang (Debian 12 ships clang 14).
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
