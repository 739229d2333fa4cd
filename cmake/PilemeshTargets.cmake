# Shared target settings: warnings, and the helper that builds a driver plugin.

# pilemesh_warnings(<target>): -Wall -Wextra everywhere; -Werror when PILEMESH_WERROR is on.
function(pilemesh_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(PILEMESH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# pilemesh_plugin(<name> SOURCES ...): a driver plugin, a MODULE library named
# pilemesh-<name>.so placed where the daemon looks for plugins and installed beside it.
function(pilemesh_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIR" "SOURCES;LIBS" ${ARGN})
  set(target pilemesh-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE pilemesh::hal ${ARG_LIBS})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${PILEMESH_PLUGIN_OUTPUT_DIR})
  endif()
  # Only the two extern "C" entry points are exported; everything else stays private.
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME pilemesh-${name}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  pilemesh_warnings(${target})
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${PILEMESH_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
