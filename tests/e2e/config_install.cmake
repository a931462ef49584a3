# End-to-end tests of configuration, installation and packaging: shell
# scripts that drive the built binary and the real git CLI, each in its own
# temporary directory. Tests that need a git hook command this build lacks
# skip those checks and say so.
find_program(GIT_EXECUTABLE git REQUIRED)
foreach(name install config server)
  add_test(NAME e2e.${name}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${name}_test.sh $<TARGET_FILE:twilio-guard>)
  set_tests_properties(e2e.${name} PROPERTIES TIMEOUT 300 LABELS e2e)
endforeach()

# Builds the Debian package: slower, labelled so that it can be left out
# (ctest -LE package).
add_test(NAME e2e.package
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/package_test.sh $<TARGET_FILE:twilio-guard> ${PROJECT_BINARY_DIR})
set_tests_properties(e2e.package PROPERTIES TIMEOUT 600 LABELS "e2e;package;slow")

# The pre-commit framework through .pre-commit-hooks.yaml (skipped without it).
add_test(NAME e2e.pre_commit_framework
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/pre_commit_framework_test.sh $<TARGET_FILE:twilio-guard>)
set_tests_properties(e2e.pre_commit_framework PROPERTIES TIMEOUT 300 LABELS e2e SKIP_RETURN_CODE 77)

# The static executable: only where the build links one.
if(TG_STATIC_EXECUTABLE)
  add_test(NAME e2e.static_executable
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/static_executable_test.sh $<TARGET_FILE:twilio-guard>)
  set_tests_properties(e2e.static_executable PROPERTIES TIMEOUT 120 LABELS e2e)
endif()
