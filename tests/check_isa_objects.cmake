# Checks that one ISA's object files cannot leak code into another ISA's (or the baseline's) path.
#
#   cmake -DISA=<name from dispatch/isa_list.inc> -DOBJECTS=<a.o;b.o> -DNM=<nm> -DOBJDUMP=<objdump> [-DSEALED=ON]
#         -P check_isa_objects.cmake
#
# 1. SEALED=ON (the object the library really links, see cmake/simdact_isa.cmake): the only global
#    symbol it defines is simdact::<ISA>_table; everything else, xsimd's and the standard library's
#    inline functions included, is local, so no copy can be merged with another ISA's.
#    SEALED=OFF (the raw compiler output, where the toolchain cannot seal): every weak / vague-linkage symbol the objects define (nm types W, V, u: inline functions, template
#    instantiations, guard variables...) must be inside namespace simdact::<ISA>::. The linker keeps
#    one copy of such a symbol for the whole library; if the same symbol came out of two ISAs'
#    objects (say an xsimd helper or a std:: inline function), the copy compiled with AVX-512 flags could
#    be the one that the AVX2 or baseline path calls, and crash with SIGILL on a CPU without AVX-512.
#    The demangled name must contain "simdact::<ISA>::" (templates instantiated on an ISA-namespace
#    entity get a distinct mangled name per ISA, which is what matters). DW.ref.__gxx_personality_v0
#    (the EH personality pointer, identical everywhere) is exempt.
# 2. For ISA=avx2, the disassembly must hold no AVX-512 instruction: no zmm register, no opmask
#    register k0-k7, and no EVEX-only construct (xmm16-31/ymm16-31, embedded broadcast {1toN}).
cmake_minimum_required(VERSION 3.16)

foreach(var ISA OBJECTS NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_isa_objects: -D${var}=... is required")
  endif()
endforeach()
if(ISA STREQUAL "avx2" AND (NOT DEFINED OBJDUMP OR OBJDUMP STREQUAL ""))
  message(FATAL_ERROR "check_isa_objects: -DOBJDUMP=... is required for ISA=avx2")
endif()

set(namespace "simdact::${ISA}::")
set(weak_count 0)
set(offenders "")
set(table_found FALSE)

foreach(obj IN LISTS OBJECTS)
  if(NOT EXISTS "${obj}")
    message(FATAL_ERROR "check_isa_objects: object file not found: ${obj}")
  endif()
  execute_process(COMMAND "${NM}" -C "${obj}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_isa_objects: ${NM} -C ${obj} failed (${rc}): ${err}")
  endif()
  # Demangled names can hold ';', '[' and ']', which CMake lists treat specially: escape them first.
  string(REPLACE ";" "<SEMI>" out "${out}")
  string(REPLACE "[" "<LSQ>" out "${out}")
  string(REPLACE "]" "<RSQ>" out "${out}")
  string(REPLACE "\n" ";" lines "${out}")
  foreach(line IN LISTS lines)
    # "<address> <type> <name>"; undefined symbols have no address and are skipped.
    if(NOT line MATCHES "^[0-9a-fA-F]+ ([A-Za-z?-]) (.*)$")
      continue()
    endif()
    set(type "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    if(name STREQUAL "simdact::${ISA}_table")
      set(table_found TRUE)
    endif()
    if(SEALED)
      # Sealed: any global definition (upper-case type, or u/V/W) other than the table is a leak.
      if(type MATCHES "^[A-TVWXZu]$" AND NOT name STREQUAL "simdact::${ISA}_table")
        get_filename_component(objname "${obj}" NAME)
        string(APPEND offenders "\n  ${objname}: ${type} ${name}")
      endif()
      math(EXPR weak_count "${weak_count} + 1")
      continue()
    endif()
    if(NOT type MATCHES "^[WVu]$")
      continue()
    endif()
    if(name STREQUAL "DW.ref.__gxx_personality_v0")
      continue()
    endif()
    math(EXPR weak_count "${weak_count} + 1")
    string(FIND "${name}" "${namespace}" pos)
    if(pos EQUAL -1)
      string(REPLACE "<SEMI>" ";" name "${name}")
      string(REPLACE "<LSQ>" "[" name "${name}")
      string(REPLACE "<RSQ>" "]" name "${name}")
      get_filename_component(objname "${obj}" NAME)
      string(APPEND offenders "\n  ${objname}: ${type} ${name}")
    endif()
  endforeach()
endforeach()

# Every problem is collected and reported together at the end.
set(errors "")
if(NOT table_found)
  string(APPEND errors "\n* no symbol simdact::${ISA}_table: not the ${ISA} kernel objects, or the nm output was not understood")
endif()
if(weak_count EQUAL 0 AND NOT SEALED)
  string(APPEND errors "\n* no weak symbol at all: the kernel template instantiations should be weak (W), so the nm "
    "output was not understood and the check would be vacuous")
endif()
if(NOT offenders STREQUAL "" AND SEALED)
  string(APPEND errors "\n* global symbols besides simdact::${ISA}_table in the sealed object:${offenders}")
elseif(NOT offenders STREQUAL "")
  string(APPEND errors "\n* weak (linker-mergeable) symbols outside ${namespace} (another ISA's or the baseline's code "
    "could end up calling this ISA's copy):${offenders}")
endif()

set(insn_note "")
if(ISA STREQUAL "avx2")
  set(insn_count 0)
  set(ymm_count 0)
  set(evex_lines "")
  set(evex_count 0)
  foreach(obj IN LISTS OBJECTS)
    execute_process(COMMAND "${OBJDUMP}" -d --no-show-raw-insn "${obj}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "check_isa_objects: ${OBJDUMP} -d ${obj} failed (${rc}): ${err}")
    endif()
    string(REPLACE ";" "<SEMI>" out "${out}")
    string(REPLACE "[" "<LSQ>" out "${out}")
    string(REPLACE "]" "<RSQ>" out "${out}")
    # Instruction lines look like "   1a:\tvmovups (%rdi),%ymm0".
    string(REGEX MATCHALL "\n *[0-9a-f]+:\t[^\n]*" insns "${out}")
    list(LENGTH insns n)
    math(EXPR insn_count "${insn_count} + ${n}")
    string(REGEX MATCHALL "%ymm" ymms "${out}")
    list(LENGTH ymms n)
    math(EXPR ymm_count "${ymm_count} + ${n}")
    string(REGEX MATCHALL
      "\n *[0-9a-f]+:\t[^\n]*(%zmm|%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])|\\{1to[0-9]+\\})[^\n]*" bad "${out}")
    get_filename_component(objname "${obj}" NAME)
    foreach(l IN LISTS bad)
      math(EXPR evex_count "${evex_count} + 1")
      if(evex_count LESS_EQUAL 20)
        string(STRIP "${l}" l)
        string(REPLACE "<SEMI>" ";" l "${l}")
        string(REPLACE "<LSQ>" "[" l "${l}")
        string(REPLACE "<RSQ>" "]" l "${l}")
        string(APPEND evex_lines "\n  ${objname}: ${l}")
      endif()
    endforeach()
  endforeach()
  if(evex_count GREATER 0)
    if(evex_count GREATER 20)
      string(APPEND evex_lines "\n  ... and more (first 20 shown)")
    endif()
    string(APPEND errors "\n* ${evex_count} AVX-512 instructions (zmm, opmask k0-k7 or EVEX-only operands) in the "
      "AVX2 objects:${evex_lines}")
  endif()
  if(ymm_count EQUAL 0)
    string(APPEND errors "\n* no ymm register in ${insn_count} instructions: the disassembly was not understood "
      "and the AVX-512 check would be vacuous")
  endif()
  set(insn_note ", ${insn_count} instructions free of AVX-512")
endif()

# 3. Fused multiply-add really is fused: xsimd 8.1 silently lowers xsimd::fma to a multiply and an add
#    on its AVX-512 architectures (kernels/simd_math.hpp's fmadd works around it); every SIMD object
#    must hold FMA instructions.
set(fma_regex "")
if(ISA MATCHES "^avx")
  set(fma_regex "vfn?m(add|sub)[0-9]+ps")
elseif(ISA STREQUAL "neon")
  set(fma_regex "fml[as][ \t]+v[0-9]+\\.4s")
endif()
if(NOT fma_regex STREQUAL "" AND DEFINED OBJDUMP AND NOT OBJDUMP STREQUAL "")
  set(fma_count 0)
  foreach(obj IN LISTS OBJECTS)
    execute_process(COMMAND "${OBJDUMP}" -d --no-show-raw-insn "${obj}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
    string(REGEX MATCHALL "${fma_regex}" fmas "${out}")
    list(LENGTH fmas n)
    math(EXPR fma_count "${fma_count} + ${n}")
  endforeach()
  if(fma_count EQUAL 0)
    string(APPEND errors "\n* no fused multiply-add instruction (${fma_regex}) in the ${ISA} objects")
  endif()
  # xsimd 8.1 divides floats on neon64 by a Newton-refined reciprocal; kernels/simd_math.hpp's divide()
  # uses the IEEE vector division: it must be there.
  if(ISA STREQUAL "neon")
    set(fdiv_count 0)
    foreach(obj IN LISTS OBJECTS)
      execute_process(COMMAND "${OBJDUMP}" -d --no-show-raw-insn "${obj}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
      string(REGEX MATCHALL "fdiv[ \t]+v[0-9]+\\.4s" fdivs "${out}")
      list(LENGTH fdivs n)
      math(EXPR fdiv_count "${fdiv_count} + ${n}")
    endforeach()
    if(fdiv_count EQUAL 0)
      string(APPEND errors "\n* no IEEE vector division (fdiv v.4s) in the neon objects")
    endif()
  endif()
  string(APPEND insn_note ", ${fma_count} FMA instructions")
endif()

if(NOT errors STREQUAL "")
  message(FATAL_ERROR "check_isa_objects: ISA=${ISA}, objects ${OBJECTS}:${errors}")
endif()
if(SEALED)
  message(STATUS "check_isa_objects: ${ISA}: sealed, ${weak_count} defined symbols, only simdact::${ISA}_table global${insn_note}")
else()
  message(STATUS "check_isa_objects: ${ISA}: ${weak_count} weak symbols checked, all in ${namespace}${insn_note}")
endif()
