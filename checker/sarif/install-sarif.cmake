# Installs mapsafe-sarif into ${CMAKE_INSTALL_PREFIX}/bin, configured for
# that prefix (run by cmake --install; the variables are set by
# CMakeLists.txt's install(CODE)).
if(MAPSAFE_SARIF_DOCS_URL STREQUAL MAPSAFE_SARIF_DOCS_URL_DEFAULT)
  set(MAPSAFE_SARIF_DOCS_URL "file://${CMAKE_INSTALL_PREFIX}/share/doc/mapsafe")
endif()
set(MAPSAFE_SARIF_SOURCE_DOCS "")
configure_file(${MAPSAFE_SARIF_IN} ${MAPSAFE_SARIF_STAGE} @ONLY)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/bin" TYPE PROGRAM FILES ${MAPSAFE_SARIF_STAGE})
