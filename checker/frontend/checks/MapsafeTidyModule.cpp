//===--- MapsafeTidyModule.cpp - the mapsafe clang-tidy module ------------===//
#include "checks/IncompleteAnalysisCheck.h"
#include "checks/InconsistentLockingCheck.h"
#include "checks/UnsynchronizedReadCheck.h"
#include "checks/UnsynchronizedWriteCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace mapsafe {

namespace {
// In name order: a shared option set under several checks' names takes the
// first one's value (MapsafeCheck.cpp).
const llvm::StringRef CheckNames[] = {"mapsafe-incomplete-analysis",
                                      "mapsafe-inconsistent-locking",
                                      "mapsafe-unsynchronized-read",
                                      "mapsafe-unsynchronized-write"};
} // namespace

llvm::ArrayRef<llvm::StringRef> MapsafeCheck::checkNames() { return CheckNames; }

class MapsafeModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<IncompleteAnalysisCheck>(CheckNames[0]);
    Factories.registerCheck<InconsistentLockingCheck>(CheckNames[1]);
    Factories.registerCheck<UnsynchronizedReadCheck>(CheckNames[2]);
    Factories.registerCheck<UnsynchronizedWriteCheck>(CheckNames[3]);
  }
};

} // namespace mapsafe

// Registers the module with clang-tidy when the plugin (or clangd) loads.
static clang::tidy::ClangTidyModuleRegistry::Add<mapsafe::MapsafeModule>
    MapsafeModuleRegistration("mapsafe-module", "Finds unsynchronized access to shared maps.");

// Referenced by mapsafe-clangd so the linker keeps this object.
volatile int MapsafeModuleAnchorSource = 0;
