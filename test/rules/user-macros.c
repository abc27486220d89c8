// A project's own map and lock macros declared in a rule file
// (Inputs/rules/objcache.yaml, `macro:` entries): the cache's operations
// are matched where the macros are written, whatever they expand to, and
// the spin lock made of atomics protects like any lock.  The buggy twin
// stores without the spin lock; the fixed twin holds it.  Without the rule
// file mapsafe knows none of it and says nothing.
//
// RUN: %mapsafe_check %s \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/objcache.yaml'}}" \
// RUN:   -- -pthread -I%S/Inputs
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/objcache.yaml'}}" \
// RUN:   -- -pthread -I%S/Inputs -DFIXED
// RUN: %mapsafe_check %s --prefix=NORULES -- -pthread -I%S/Inputs

#include <pthread.h>
#include "objcache.h"

static struct objcache *cache;
static spin_t cache_lock;

static void *loader(void *arg) {
  SPIN_LOCK(&cache_lock); // L:lock
  void *obj = OBJCACHE_GET(cache, arg); // L:get
  SPIN_UNLOCK(&cache_lock);
  if (!obj) {
#ifdef FIXED
    SPIN_LOCK(&cache_lock);
#endif
    OBJCACHE_PUT(cache, arg, arg); // L:put
#ifdef FIXED
    SPIN_UNLOCK(&cache_lock);
#endif
  }
  return obj;
}

int main(void) {
  pthread_t t[2];
  cache = OBJCACHE_NEW(64); // L:new
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, loader, "key"); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK: user-macros.c:[[L_put]]:5: warning: unsynchronized write to map 'cache' (OBJCACHE_PUT) can race with a write in another instance of thread 'loader'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: user-macros.c:[[L_put]]:5: note: the same write (OBJCACHE_PUT) runs concurrently in another instance of thread 'loader'
// CHECK-NEXT: user-macros.c:[[L_spawn]]:5: note: thread 'loader' is started here by the main thread, with many instances running at once
// CHECK-NEXT: user-macros.c:[[L_new]]:11: note: 'cache' is created here: an objcache
