# The dependency rules of ../shared/DESIGN.md's layout table, in one place, checked two ways:
#   - at configure time (fieldlab_check_layering(), called from the top CMakeLists.txt): every
#     fieldlab library links only the fieldlab libraries its row allows;
#   - by the ctest `layering` (this file run with `cmake -DFIELDLAB_ROOT=<src> -P`): every
#     #include "module/..." in a library's sources names a module its row allows, so a header-only
#     use cannot sneak an edge in either.
# A forbidden edge fails the configure or the test with the file and the edge named.

# module -> the modules it may use (directly or through what it links). Folder of each module:
# the longest matching prefix in _fieldlab_module_dirs.
set(_fieldlab_modules core solvers io datasets generate nn train quantum quantum_nn)
set(_fieldlab_allowed_core core)
set(_fieldlab_allowed_solvers core solvers)
set(_fieldlab_allowed_io core io)
set(_fieldlab_allowed_datasets core io datasets)
set(_fieldlab_allowed_generate core io datasets solvers generate)
set(_fieldlab_allowed_nn core io nn)
set(_fieldlab_allowed_train core io datasets solvers nn train)
set(_fieldlab_allowed_quantum core io quantum)
set(_fieldlab_allowed_quantum_nn core io quantum nn quantum_nn)
# Source folder of each module (checked longest first).
set(_fieldlab_dir_quantum_nn quantum/nn)
set(_fieldlab_dir_train nn/train)
set(_fieldlab_dir_io datasets/io)
set(_fieldlab_dir_generate datasets/generate)
set(_fieldlab_dir_core core)
set(_fieldlab_dir_solvers solvers)
set(_fieldlab_dir_datasets datasets)
set(_fieldlab_dir_nn nn)
set(_fieldlab_dir_quantum quantum)
set(_fieldlab_dir_order quantum_nn train io generate core solvers datasets nn quantum)

# The module a path relative to the source root belongs to ("" for none: apps, tests, ...).
function(_fieldlab_module_of path out)
  foreach(m IN LISTS _fieldlab_dir_order)
    string(LENGTH "${_fieldlab_dir_${m}}/" n)
    string(SUBSTRING "${path}" 0 ${n} head)
    if(head STREQUAL "${_fieldlab_dir_${m}}/")
      set(${out} ${m} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

function(fieldlab_check_layering)
  foreach(m IN LISTS _fieldlab_modules)
    set(target fieldlab_${m})
    if(NOT TARGET ${target})
      message(FATAL_ERROR "layering: library ${target} of DESIGN.md's layout table is missing")
    endif()
    get_target_property(libs ${target} LINK_LIBRARIES)
    foreach(lib IN LISTS libs)
      if(lib MATCHES "^fieldlab(::|_)([a-z_]+)$")
        set(dep ${CMAKE_MATCH_2})
        if(dep STREQUAL "options" OR dep STREQUAL "openblas")
          continue()
        endif()
        list(FIND _fieldlab_allowed_${m} ${dep} found)
        if(found EQUAL -1)
          message(FATAL_ERROR "layering: fieldlab::${m} links fieldlab::${dep}, which DESIGN.md's "
                              "layout table does not allow (allowed: ${_fieldlab_allowed_${m}})")
        endif()
      endif()
    endforeach()
  endforeach()
endfunction()

# Script mode: scan the includes.
if(CMAKE_SCRIPT_MODE_FILE AND FIELDLAB_ROOT)
  set(violations "")
  set(checked 0)
  foreach(m IN LISTS _fieldlab_modules)
    file(GLOB_RECURSE files RELATIVE "${FIELDLAB_ROOT}" "${FIELDLAB_ROOT}/${_fieldlab_dir_${m}}/*.hpp"
         "${FIELDLAB_ROOT}/${_fieldlab_dir_${m}}/*.cpp")
    foreach(f IN LISTS files)
      _fieldlab_module_of("${f}" owner)
      if(NOT owner STREQUAL m)
        continue()  # a file of a nested module is checked under that module
      endif()
      math(EXPR checked "${checked} + 1")
      file(STRINGS "${FIELDLAB_ROOT}/${f}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
      foreach(line IN LISTS includes)
        string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" header "${line}")
        _fieldlab_module_of("${header}" used)
        if(used STREQUAL "")
          continue()  # generated headers, same-folder includes
        endif()
        list(FIND _fieldlab_allowed_${m} ${used} found)
        if(found EQUAL -1)
          list(APPEND violations "${f} (${m}) includes ${header} (${used})")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(violations)
    list(JOIN violations "\n  " text)
    message(FATAL_ERROR "layering: forbidden includes (DESIGN.md's layout table):\n  ${text}")
  endif()
  message(STATUS "layering: ${checked} library files include only what their module may use")
endif()
