//===--- TellOnce.h - a configuration problem told once per run -----------===//
//
// A broken rule file concerns every file of a run, not each one.  clang-tidy
// checks many files in one process: there, the first file tells it.
// run-clang-tidy starts one clang-tidy per file, all children of it: the
// first of them tells it, the others find its mark (a file named after the
// run and the message, in the temporary directory).  Whatever cannot be
// found out (no /proc, no temporary directory) means telling it again:
// a problem is never kept quiet.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_TELLONCE_H
#define MAPSAFE_FRONTEND_CHECKS_TELLONCE_H

#include <string>

namespace mapsafe {

/// Whether Text is told for the first time in this run.
bool firstTellingInRun(const std::string &Text);

} // namespace mapsafe

#endif
