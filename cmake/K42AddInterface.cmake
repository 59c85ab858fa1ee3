# k42_add_interface(<target> HEADERS <header>... [OUTPUT_DIR <dir>]
#                   [CLIENTS <kind>...])
#
# Runs stubc on each interface header at build time and adds what it
# generates to <target>: for Foo.h, Foo.k42.cpp is compiled into the target
# and Foo.k42.h can be included by the target's sources (`#include
# "Foo.k42.h"`). The target is linked with K42::runtime and K42::idl. Both the
# output directory and those links are PUBLIC, so when <target> is a library,
# its users can include Foo.k42.h too (the directory is a BUILD_INTERFACE
# path, so the library can still be installed and exported).
#
# stubc parses each header with the target's include directories and compile
# definitions. Generation is incremental: stubc writes a depfile naming every
# header it read, so it reruns when the interface header, anything it
# includes, or the stubc binary changes, and it rewrites an output only when
# its content changes, so an edit that does not change the generated code
# rebuilds nothing that depends on it.
#
# CLIENTS names the client stubs to generate (stubc --client): `standard`
# (Stub<Name>, the default) and/or `handler` (HandlerStub<Name>, a
# header-only template that never allocates, for signal handlers: the Linux
# personality's calls to its servers).
#
# OUTPUT_DIR defaults to ${CMAKE_BINARY_DIR}/gen/<target>: generated code lives
# in the build tree only, never in the source tree.
#
# Works with the Ninja and Makefile generators. With Ninja, the generated
# files are BYPRODUCTS, which Ninja restats after stubc runs; with Make, GNU
# make compares timestamps after the rule runs. Either way an unchanged
# output does not trigger recompilation.
include_guard(GLOBAL)

function(k42_add_interface Target)
  cmake_parse_arguments(PARSE_ARGV 1 K42AI "" "OUTPUT_DIR" "HEADERS;CLIENTS")
  if(NOT TARGET ${Target})
    message(FATAL_ERROR "k42_add_interface: no target named '${Target}'")
  endif()
  if(NOT K42AI_HEADERS)
    message(FATAL_ERROR "k42_add_interface(${Target}): HEADERS is required")
  endif()
  if(K42AI_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "k42_add_interface(${Target}): unexpected arguments "
      "'${K42AI_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT TARGET K42::stubc)
    message(FATAL_ERROR "k42_add_interface: K42::stubc is not defined; "
      "use find_package(K42 CONFIG REQUIRED) first")
  endif()
  set(OutDir "${K42AI_OUTPUT_DIR}")
  if(NOT OutDir)
    set(OutDir "${CMAKE_BINARY_DIR}/gen/${Target}")
  endif()
  file(MAKE_DIRECTORY "${OutDir}")
  set(ClientOption "")
  if(K42AI_CLIENTS)
    list(JOIN K42AI_CLIENTS "," Clients)
    set(ClientOption "--client=${Clients}")
  endif()

  # The compiler flags stubc needs to parse the header as the target sees it.
  set(Includes "$<TARGET_PROPERTY:${Target},INCLUDE_DIRECTORIES>")
  set(Defines "$<TARGET_PROPERTY:${Target},COMPILE_DEFINITIONS>")
  set(IdlIncludes "$<TARGET_PROPERTY:K42::idl,INTERFACE_INCLUDE_DIRECTORIES>")
  # stubc itself parses as C++20; saying so here keeps the command line a
  # complete record of how the header was parsed.
  set(Flags
    -std=c++20
    "$<$<BOOL:${Includes}>:-I$<JOIN:${Includes},$<SEMICOLON>-I>>"
    "$<$<BOOL:${Defines}>:-D$<JOIN:${Defines},$<SEMICOLON>-D>>"
    "-I$<JOIN:${IdlIncludes},$<SEMICOLON>-I>")

  foreach(Header IN LISTS K42AI_HEADERS)
    get_filename_component(Header "${Header}" ABSOLUTE
      BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${Header}")
      message(FATAL_ERROR "k42_add_interface(${Target}): no such header "
        "'${Header}'")
    endif()
    get_filename_component(Stem "${Header}" NAME_WLE)
    set(GenHeader "${OutDir}/${Stem}.k42.h")
    set(GenSource "${OutDir}/${Stem}.k42.cpp")
    set(Stamp "${OutDir}/${Stem}.k42.stamp")
    set(Depfile "${OutDir}/${Stem}.k42.d")
    # The stamp is the output the build tool tracks; the generated files are
    # byproducts stubc rewrites only when their content changes (Ninja then
    # restats them, so nothing downstream rebuilds needlessly).
    add_custom_command(
      OUTPUT "${Stamp}"
      BYPRODUCTS "${GenHeader}" "${GenSource}"
      COMMAND K42::stubc
        "--out-dir=${OutDir}"
        "--depfile=${Depfile}"
        "--stamp=${Stamp}"
        "--include-name=${Header}"
        ${ClientOption}
        "${Header}"
        --
        ${Flags}
      DEPENDS "${Header}" K42::stubc "$<TARGET_FILE:K42::stubc>"
      DEPFILE "${Depfile}"
      COMMENT "stubc ${Stem}.h"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    target_sources(${Target} PRIVATE "${GenSource}" "${Stamp}")
  endforeach()
  target_include_directories(${Target} PUBLIC "$<BUILD_INTERFACE:${OutDir}>")
  target_link_libraries(${Target} PUBLIC K42::runtime K42::idl)
endfunction()
