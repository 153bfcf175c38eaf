# Writes a C++ file with one function returning the content of FILE as a string.
file(READ ${FILE} content)
set(body "// Generated from ${FILE} by cmake/embed_file.cmake. Do not edit.\nnamespace ${NAMESPACE} {\nconst char* ${FUNCTION}() {\n  return R\"__embed__(${content})__embed__\";\n}\n}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
