# pbgdpl_embed(TARGET <lib> PREFIX <virtual dir> FILES <files...>)
# Turns files (templates, migrations, static assets) into a generated C++ source that
# registers them in the in-binary asset table (core/assets.h). The files stay outside C++ code;
# the binary stays self-contained.
function(pbgdpl_embed)
  cmake_parse_arguments(E "" "TARGET;PREFIX" "FILES" ${ARGN})
  string(MAKE_C_IDENTIFIER "${E_TARGET}_${E_PREFIX}" ident)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed_${ident}.cpp")
  set(abs_files "")
  foreach(f ${E_FILES})
    get_filename_component(a "${f}" ABSOLUTE)
    list(APPEND abs_files "${a}")
  endforeach()
  string(REPLACE ";" "|" files_arg "${abs_files}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DPREFIX=${E_PREFIX} -DIDENT=${ident}
            "-DFILES=${files_arg}" -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    DEPENDS ${abs_files} ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    COMMENT "Embedding ${E_PREFIX} assets for ${E_TARGET}"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE "${out}")
endfunction()
