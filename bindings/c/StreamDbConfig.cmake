# CMake package config for StreamDb: find_package(StreamDb CONFIG REQUIRED), then link
# StreamDb::streamdb. Relocatable: the prefix is found from this file's own location
# (<prefix>/lib/cmake/StreamDb/), so the tree may be moved or unpacked anywhere.
get_filename_component(_streamdb_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET StreamDb::streamdb)
  add_library(StreamDb::streamdb SHARED IMPORTED)
  if(WIN32)
    set_target_properties(StreamDb::streamdb PROPERTIES
      IMPORTED_LOCATION "${_streamdb_prefix}/lib/libstreamdb.dll"
      IMPORTED_IMPLIB "${_streamdb_prefix}/lib/libstreamdb.lib")
  else()
    set_target_properties(StreamDb::streamdb PROPERTIES
      IMPORTED_LOCATION "${_streamdb_prefix}/lib/libstreamdb.so"
      IMPORTED_SONAME "libstreamdb.so")
  endif()
  set_target_properties(StreamDb::streamdb PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_streamdb_prefix}/include")
endif()

if(NOT EXISTS "${_streamdb_prefix}/include/streamdb.h")
  set(StreamDb_FOUND FALSE)
  set(StreamDb_NOT_FOUND_MESSAGE "streamdb.h is missing under ${_streamdb_prefix}/include")
endif()
set(StreamDb_INCLUDE_DIR "${_streamdb_prefix}/include")
set(StreamDb_LIBRARIES StreamDb::streamdb)
unset(_streamdb_prefix)
