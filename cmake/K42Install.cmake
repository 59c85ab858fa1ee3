# What `cmake --install` puts in the prefix, so an outside project can
#
#   find_package(K42 CONFIG REQUIRED)
#   k42_add_interface(my-server HEADERS MyService.h)
#
# stubc and the plugin go to bin/ and lib/, <k42/idl.h> and the runtime's
# headers to include/, the runtime library to lib/, and the CMake package
# (targets K42::stubc, K42::runtime, K42::idl, K42::plugin and the function
# k42_add_interface) to lib/cmake/K42.
#
# The build tree is a package too: ${CMAKE_BINARY_DIR}/cmake holds the same
# four files, naming the just-built stubc, plugin and runtime, so an outside
# project can use a build without installing it (-DK42_DIR=<build>/cmake).
include(CMakePackageConfigHelpers)

set(K42_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/K42")

set_target_properties(stubc PROPERTIES EXPORT_NAME stubc)
set_target_properties(K42StubcPlugin PROPERTIES EXPORT_NAME plugin)
set_target_properties(k42idl PROPERTIES EXPORT_NAME idl)

install(TARGETS stubc EXPORT K42Targets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS K42StubcPlugin EXPORT K42Targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS k42runtime k42idl EXPORT K42Targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY idl/include/ runtime/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT K42Targets NAMESPACE K42::
  DESTINATION ${K42_INSTALL_CMAKEDIR})
install(FILES cmake/K42AddInterface.cmake
  DESTINATION ${K42_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/K42Config.cmake.in
  "${CMAKE_BINARY_DIR}/cmake/K42Config.cmake"
  INSTALL_DESTINATION ${K42_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  "${CMAKE_BINARY_DIR}/cmake/K42ConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${CMAKE_BINARY_DIR}/cmake/K42Config.cmake"
  "${CMAKE_BINARY_DIR}/cmake/K42ConfigVersion.cmake"
  DESTINATION ${K42_INSTALL_CMAKEDIR})

# The build-tree package: K42Config.cmake and its version file are already
# in ${CMAKE_BINARY_DIR}/cmake; add the targets, exported with their
# build-tree paths, and the function.
export(EXPORT K42Targets NAMESPACE K42::
  FILE "${CMAKE_BINARY_DIR}/cmake/K42Targets.cmake")
configure_file(cmake/K42AddInterface.cmake
  "${CMAKE_BINARY_DIR}/cmake/K42AddInterface.cmake" COPYONLY)
