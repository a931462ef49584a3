# `cmake --install` to any prefix, and a Debian package through CPack
# (`cpack -G DEB` in the build directory). The binary itself is installed by
# hook/CMakeLists.txt.
include(GNUInstallDirs)

# Debian wants manual pages compressed with gzip -9n (no name, no time stamp).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(TG_MAN_PAGE ${PROJECT_BINARY_DIR}/twilio-guard.1.gz)
add_custom_command(OUTPUT ${TG_MAN_PAGE}
  COMMAND ${GZIP_EXECUTABLE} -9nc ${PROJECT_SOURCE_DIR}/doc/twilio-guard.1 > ${TG_MAN_PAGE}
  DEPENDS ${PROJECT_SOURCE_DIR}/doc/twilio-guard.1
  COMMENT "Compressing the manual page")
add_custom_target(man_page ALL DEPENDS ${TG_MAN_PAGE})

install(FILES ${TG_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/config/example.toml
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples RENAME config.toml)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Server hook templates and their guides.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/install/server/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/twilio-guard/server
  USE_SOURCE_PERMISSIONS)

set(CPACK_PACKAGE_NAME twilio-guard)
set(CPACK_PACKAGE_VENDOR "twilio-guard")
set(CPACK_PACKAGE_CONTACT "twilio-guard maintainers <twilio-guard@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "git hook that stops Twilio credentials from entering git history")
set(CPACK_PACKAGE_DESCRIPTION
  "twilio-guard finds Twilio Auth Tokens, API Key secrets and Access Tokens in staged changes and pushed commits and stops the commit or push (pre-commit, pre-push and pre-receive hooks). Rule set ${TWILIO_GUARD_RULES_VERSION}.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "git")
set(CPACK_GENERATOR DEB)
include(CPack)
