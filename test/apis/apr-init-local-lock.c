// Guard inference: lazy set-up that creates the lock into a local and then
// stores it (`apr_thread_mutex_create (&m, ...); cache_mutex = m;`, as
// Subversion's utf.c does) is the lock owner's initialisation, like a
// create straight into `&cache_mutex`: the table it makes there is not an
// unguarded access.  The buggy twin also drops entries without the lock.
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %apr_cflags -pthread
// RUN: %mapsafe_check %s --checks='-*,mapsafe-inconsistent-locking' -- %apr_cflags -pthread -DBUGGY

#include <apr_hash.h>
#include <apr_thread_mutex.h>

static apr_hash_t *cache = NULL;
static apr_thread_mutex_t *cache_mutex = NULL;

void cache_init(apr_pool_t *pool) {
  if (!cache) {
    apr_thread_mutex_t *m;
    if (apr_thread_mutex_create(&m, APR_THREAD_MUTEX_DEFAULT, pool))
      return;
    cache_mutex = m;
    cache = apr_hash_make(pool); // L:make
  }
}

static void *lookup(const char *k) {
  void *v;
  apr_thread_mutex_lock(cache_mutex); // L:lock_lookup
  v = apr_hash_get(cache, k, APR_HASH_KEY_STRING); // L:get
  apr_thread_mutex_unlock(cache_mutex);
  return v;
}

void *cache_get(const char *k) { return lookup(k); }
void *cache_get_or(const char *k, void *dflt) {
  void *v = lookup(k);
  return v ? v : dflt;
}

void cache_put(const char *k, void *v) {
  apr_thread_mutex_lock(cache_mutex); // L:lock_put
  apr_hash_set(cache, k, APR_HASH_KEY_STRING, v); // L:put
  apr_thread_mutex_unlock(cache_mutex);
}

#ifdef BUGGY
void cache_drop(const char *k) { // L:drop_fn
  apr_hash_set(cache, k, APR_HASH_KEY_STRING, NULL); // L:drop
}
#endif
// CHECK: apr-init-local-lock.c:[[L_drop]]:3: warning: 'cache' is accessed with 'cache_mutex' held in 3 of 4 functions; this write (apr_hash_set) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: apr-init-local-lock.c:[[L_get]]:7: note: 'cache_mutex' is held here
// CHECK-NEXT: apr-init-local-lock.c:[[L_put]]:3: note: 'cache_mutex' is held here
// CHECK-NEXT: apr-init-local-lock.c:[[L_drop_fn]]:6: note: 'cache_drop' has external linkage: any thread may call it
