# What the source checks run with `cmake -P` (layering.cmake, test_names.cmake) end with: refuse a
# run that found too few files to mean anything (a wrong ROOT), then fail naming each finding.
function(finish_source_check checked minimum findings failure success)
  if(checked LESS minimum)
    message(FATAL_ERROR "only ${checked} source files found under ${ROOT}: wrong ROOT?")
  endif()
  if(findings)
    message(FATAL_ERROR "${failure}:${findings}")
  endif()
  message(STATUS "${checked} source files, ${success}")
endfunction()
