# Install rules, included from the top-level CMakeLists.txt when SIMDACT_INSTALL is ON.
#
#   <prefix>/include/simdact/simdact.h, simdact.hpp            headers (no xsimd, nothing private)
#   <libdir>/libsimdact.so.<major>.<minor>.<patch>, .so.<major>  runtime (component simdact_Runtime)
#   <libdir>/libsimdact.so, libsimdact.a (SIMDACT_BUILD_STATIC) development (component simdact_Development)
#   <libdir>/cmake/simdact/simdactConfig.cmake, ...ConfigVersion.cmake, simdactTargets*.cmake
#   <libdir>/pkgconfig/simdact.pc
#
# Consumers: find_package(simdact CONFIG REQUIRED) + simdact::simdact (or simdact::simdact_static,
# also available as find_package(simdact CONFIG REQUIRED COMPONENTS static)); or
# `pkg-config --cflags --libs simdact`. xsimd is a private build dependency: no exported target or
# installed header mentions it.
include(CMakePackageConfigHelpers)

set(SIMDACT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/simdact" CACHE STRING
  "Where simdactConfig.cmake is installed (relative to the prefix)")
set(SIMDACT_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig" CACHE STRING
  "Where simdact.pc is installed (relative to the prefix)")
mark_as_advanced(SIMDACT_INSTALL_CMAKEDIR SIMDACT_INSTALL_PKGCONFIGDIR)

set(simdact_install_targets simdact)
if(TARGET simdact_static)
  list(APPEND simdact_install_targets simdact_static)
endif()

install(TARGETS ${simdact_install_targets} EXPORT simdactTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT simdact_Runtime NAMELINK_COMPONENT simdact_Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT simdact_Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT simdact_Runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/simdact DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT simdact_Development FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "*.inc")

# CMake package: the exported targets (simdact::simdact, simdact::simdact_static), the config file and
# the version file. Same major version = compatible (the SONAME is libsimdact.so.<major>).
install(EXPORT simdactTargets NAMESPACE simdact:: DESTINATION ${SIMDACT_INSTALL_CMAKEDIR}
  FILE simdactTargets.cmake COMPONENT simdact_Development)
# The C++ runtime a C-only consumer of libsimdact.a must link (the C++ compiler's implicit libraries
# minus the C compiler's: stdc++;m with GCC), used by simdactConfig.cmake.
set(SIMDACT_CXX_RUNTIME_LIBS ${CMAKE_CXX_IMPLICIT_LINK_LIBRARIES})
if(CMAKE_C_IMPLICIT_LINK_LIBRARIES)
  list(REMOVE_ITEM SIMDACT_CXX_RUNTIME_LIBS ${CMAKE_C_IMPLICIT_LINK_LIBRARIES})
endif()
set(SIMDACT_PC_LIBS_PRIVATE "")
if(SIMDACT_CXX_RUNTIME_LIBS)
  list(REMOVE_DUPLICATES SIMDACT_CXX_RUNTIME_LIBS)
  foreach(lib IN LISTS SIMDACT_CXX_RUNTIME_LIBS)
    if(IS_ABSOLUTE "${lib}" OR lib MATCHES "^-")
      string(APPEND SIMDACT_PC_LIBS_PRIVATE " ${lib}")
    else()
      string(APPEND SIMDACT_PC_LIBS_PRIVATE " -l${lib}")
    endif()
  endforeach()
  string(STRIP "${SIMDACT_PC_LIBS_PRIVATE}" SIMDACT_PC_LIBS_PRIVATE)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/simdactConfig.cmake.in
  ${PROJECT_BINARY_DIR}/simdactConfig.cmake INSTALL_DESTINATION ${SIMDACT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/simdactConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/simdactConfig.cmake ${PROJECT_BINARY_DIR}/simdactConfigVersion.cmake
  DESTINATION ${SIMDACT_INSTALL_CMAKEDIR} COMPONENT simdact_Development)
# The build tree is a usable package too: -Dsimdact_DIR=<build dir>.
export(EXPORT simdactTargets NAMESPACE simdact:: FILE ${PROJECT_BINARY_DIR}/simdactTargets.cmake)

# pkg-config. The prefix is the one in effect at install time (`cmake --install build --prefix /x`
# works), so the file is configured twice: now with everything but the prefix, then by the install
# script with ${CMAKE_INSTALL_PREFIX} as it is then.
foreach(kind LIB INCLUDE)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}DIR}")
    set(SIMDACT_PC_${kind}DIR "${CMAKE_INSTALL_${kind}DIR}")
  else()
    set(SIMDACT_PC_${kind}DIR "\${prefix}/${CMAKE_INSTALL_${kind}DIR}")
  endif()
endforeach()
set(SIMDACT_PC_PREFIX "@SIMDACT_PC_PREFIX@")  # left for the install-time pass
configure_file(${PROJECT_SOURCE_DIR}/cmake/simdact.pc.in ${PROJECT_BINARY_DIR}/simdact.pc.prefixless @ONLY)
install(CODE "
  set(SIMDACT_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/simdact.pc.prefixless\" \"${PROJECT_BINARY_DIR}/simdact.pc\" @ONLY)
  " COMPONENT simdact_Development)
install(FILES ${PROJECT_BINARY_DIR}/simdact.pc DESTINATION ${SIMDACT_INSTALL_PKGCONFIGDIR}
  COMPONENT simdact_Development)
