# Runs the decision CLI twice, in two fresh processes, and fails unless the outputs are
# byte-identical (no clock, no environment, no pointer or hash order leaks into a decision).
foreach(run 1 2)
  execute_process(COMMAND ${DECIDE} --json --rules ${ROOT}/rules --catalogue ${ROOT}/examples/catalogue.json ${ROOT}/examples/claims.jsonl
                  OUTPUT_VARIABLE out_${run} RESULT_VARIABLE rc_${run})
  if(NOT rc_${run} EQUAL 0)
    message(FATAL_ERROR "subsidy-decide failed (run ${run}): ${rc_${run}}")
  endif()
endforeach()
string(LENGTH "${out_1}" length)
if(length LESS 1000)
  message(FATAL_ERROR "suspiciously short output: ${out_1}")
endif()
if(NOT out_1 STREQUAL out_2)
  message(FATAL_ERROR "two processes gave different decisions:\n${out_1}\n---\n${out_2}")
endif()
message(STATUS "identical: ${length} bytes of decisions")
