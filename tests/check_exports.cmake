# Checks that the shared library exports exactly the C ABI: every function declared SIMDACT_API in
# simdact.h, nothing else (no C++ symbol, no toolchain helper), each in the version node of
# cmake/simdact.map, which must be SIMDACT_<major version>.
#
#   cmake -DNM=<nm> -DLIB=<libsimdact.so> -DHEADER=<simdact.h> -DNODE=SIMDACT_<major> -P check_exports.cmake
cmake_minimum_required(VERSION 3.16)

foreach(var NM LIB HEADER NODE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_exports: -D${var}=... is required")
  endif()
endforeach()

# The declared API: "SIMDACT_API <return type> simdact_xxx(" in the header.
file(READ "${HEADER}" header)
string(REGEX MATCHALL "SIMDACT_API[^;(]*[ *](simdact_[A-Za-z0-9_]+)[ ]*\\(" decls "${header}")
set(declared "")
foreach(d IN LISTS decls)
  string(REGEX REPLACE ".*[ *](simdact_[A-Za-z0-9_]+)[ ]*\\($" "\\1" name "${d}")
  list(APPEND declared "${name}")
endforeach()
list(REMOVE_DUPLICATES declared)
list(LENGTH declared n_declared)
if(n_declared LESS 5)
  message(FATAL_ERROR "check_exports: only ${n_declared} SIMDACT_API declarations found in ${HEADER}: "
    "the header was not understood and the check would be vacuous")
endif()

execute_process(COMMAND "${NM}" -D --defined-only "${LIB}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_exports: ${NM} -D --defined-only ${LIB} failed (${rc}): ${err}")
endif()
message(STATUS "nm -D --defined-only ${LIB}:\n${out}")

string(REPLACE "\n" ";" lines "${out}")
set(errors "")
set(exported "")
set(node_seen FALSE)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  # "<address> <type> <name>[@@<version>]"; older nm prints no version.
  if(NOT line MATCHES "^[0-9a-fA-F]+ ([A-Za-z]) ([^@ ]+)(@@?([^ ]+))?$")
    string(APPEND errors "\n* line not understood: ${line}")
    continue()
  endif()
  set(type "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  set(version "${CMAKE_MATCH_4}")
  if(name STREQUAL "${NODE}" AND type STREQUAL "A")
    set(node_seen TRUE)  # the version node's own symbol
    continue()
  endif()
  if(NOT name MATCHES "^simdact_")
    string(APPEND errors "\n* exported but not part of the C ABI: ${line}")
    continue()
  endif()
  if(NOT version STREQUAL "" AND NOT version STREQUAL "${NODE}")
    string(APPEND errors "\n* ${name} is in version node ${version}, expected ${NODE}")
  endif()
  if(NOT type STREQUAL "T")
    string(APPEND errors "\n* ${name} has type ${type}, expected T (a function)")
  endif()
  list(APPEND exported "${name}")
endforeach()

if(NOT node_seen)
  string(APPEND errors "\n* no version node ${NODE}: the version script (cmake/simdact.map) was not applied, "
    "or its node is not SIMDACT_<major version>")
endif()
foreach(name IN LISTS declared)
  if(NOT name IN_LIST exported)
    string(APPEND errors "\n* declared in simdact.h but not exported: ${name}")
  endif()
endforeach()
foreach(name IN LISTS exported)
  if(NOT name IN_LIST declared)
    string(APPEND errors "\n* exported but not declared SIMDACT_API in simdact.h: ${name}")
  endif()
endforeach()

if(NOT errors STREQUAL "")
  message(FATAL_ERROR "check_exports: ${LIB}:${errors}")
endif()
list(LENGTH exported n_exported)
message(STATUS "check_exports: ${n_exported} symbols exported, all simdact_* in ${NODE}, exactly the ${n_declared} declared in simdact.h")
