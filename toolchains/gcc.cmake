# Compiler choice only: GCC (Debian 12 ships gcc 12).
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
