//===--- MapsafeTidyModule.cpp - the mapsafe clang-tidy module ------------===//
#include "UnsynchronizedReadCheck.h"
#include "UnsynchronizedWriteCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace mapsafe {

class MapsafeModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<UnsynchronizedWriteCheck>("mapsafe-unsynchronized-write");
    Factories.registerCheck<UnsynchronizedReadCheck>("mapsafe-unsynchronized-read");
  }
};

} // namespace mapsafe

// Registers the module with clang-tidy when the plugin (or clangd) loads.
static clang::tidy::ClangTidyModuleRegistry::Add<mapsafe::MapsafeModule>
    MapsafeModuleRegistration("mapsafe-module", "Finds unsynchronized access to shared maps.");

// Referenced by mapsafe-clangd so the linker keeps this object.
volatile int MapsafeModuleAnchorSource = 0;
