# Per-ISA compilation: each ISA's kernels are one object library compiled with that ISA's flags only.
# The rest of the library (scalar kernels, detection, the C ABI) is compiled for the baseline.

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(SIMDACT_ARCH_X86 ON)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(SIMDACT_ARCH_AARCH64 ON)
endif()

# Flags every simdact translation unit gets: warnings, hidden symbols, and no silent FMA contraction
# (the oracle and the kernels round exactly where their code says; fma is always explicit).
set(SIMDACT_COMMON_OPTIONS -Wall -Wextra -ffp-contract=off -fno-math-errno)
if(SIMDACT_WERROR)
  list(APPEND SIMDACT_COMMON_OPTIONS -Werror)
endif()

function(simdact_target_defaults target)
  target_compile_options(${target} PRIVATE ${SIMDACT_COMMON_OPTIONS})
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
endfunction()

# The ISAs compiled into this build, in the order of preference; each adds SIMDACT_HAVE_<ISA>.
set(SIMDACT_ISAS "")
set(SIMDACT_ISA_FLAGS_avx2 -mavx2 -mfma)
set(SIMDACT_ISA_FLAGS_avx512 -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma
    # GCC 12's AVX-512 headers (_mm512_undefined_ps and friends) raise false positives here; the
    # same templates are compiled for AVX2 and NEON with these warnings on.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized> -Wno-uninitialized)
set(SIMDACT_ISA_FLAGS_neon "")
if(SIMDACT_ARCH_X86 AND SIMDACT_ENABLE_AVX512)
  list(APPEND SIMDACT_ISAS avx512)
endif()
if(SIMDACT_ARCH_X86 AND SIMDACT_ENABLE_AVX2)
  list(APPEND SIMDACT_ISAS avx2)
endif()
if(SIMDACT_ARCH_AARCH64 AND SIMDACT_ENABLE_NEON)
  list(APPEND SIMDACT_ISAS neon)
endif()

# Sealing: our kernels live in simdact::<isa>::, but xsimd's and the standard library's inline
# functions do not, and the compiler emits them as mergeable (COMDAT) symbols whenever it does not
# inline them (always at -O0). The linker would then keep one copy for all ISAs, maybe the AVX-512
# one, and the AVX2 path would die with SIGILL. So each ISA's object is linked on its own (ld -r),
# its COMDAT groups dissolved and every symbol but simdact::<isa>_table made local (objcopy).
# tests/check_isa_objects.cmake checks the result. Needs GNU ld/objcopy on ELF; elsewhere the raw
# objects are used and the test checks that every mergeable symbol is in the ISA's namespace.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_OBJCOPY AND CMAKE_LINKER)
  set(SIMDACT_SEAL_ISA_OBJECTS ON)
else()
  set(SIMDACT_SEAL_ISA_OBJECTS OFF)
endif()

# simdact_isa_<name>: dispatch/isa_<name>.cpp compiled with that ISA's flags. Sets <out_var> to the
# object file(s) to link into the library (the sealed object where sealing is available).
function(simdact_add_isa_objects name out_var)
  add_library(simdact_isa_${name} OBJECT ${PROJECT_SOURCE_DIR}/dispatch/isa_${name}.cpp)
  simdact_target_defaults(simdact_isa_${name})
  target_compile_options(simdact_isa_${name} PRIVATE ${SIMDACT_ISA_FLAGS_${name}})
  target_link_libraries(simdact_isa_${name} PRIVATE xsimd)
  if(NOT SIMDACT_SEAL_ISA_OBJECTS)
    set(${out_var} $<TARGET_OBJECTS:simdact_isa_${name}> PARENT_SCOPE)
    return()
  endif()
  set(table "${name}_table")
  string(LENGTH "${table}" len)
  set(sealed ${CMAKE_CURRENT_BINARY_DIR}/simdact_isa_${name}.sealed.o)
  add_custom_command(OUTPUT ${sealed}
    COMMAND ${CMAKE_LINKER} -r -o ${sealed}.tmp $<TARGET_OBJECTS:simdact_isa_${name}>
    COMMAND ${CMAKE_OBJCOPY} --remove-section=.group --keep-global-symbol=_ZN7simdact${len}${table}E
            ${sealed}.tmp ${sealed}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${sealed}.tmp
    DEPENDS simdact_isa_${name} $<TARGET_OBJECTS:simdact_isa_${name}>
    COMMENT "Sealing the ${name} kernels (only simdact::${table} stays global)"
    COMMAND_EXPAND_LISTS VERBATIM)
  set_source_files_properties(${sealed} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  # One target owns the rule: the shared and the static library both list the sealed object, and with
  # the Makefile generator each would otherwise run the command itself, in parallel, racing on .tmp.
  add_custom_target(simdact_isa_${name}_sealed DEPENDS ${sealed})
  set(${out_var} ${sealed} PARENT_SCOPE)
endfunction()
