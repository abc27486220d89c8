// apr_thread_mutex_create(&c->lock, ...) sets up the lock that
// apr_thread_mutex_lock(c->lock) takes: a lock pointer kept in a struct
// field or a global names the lock by where it is kept, so the create is
// the lock owner's initialisation and guard inference does not count the
// accesses next to it.  The buggy twin reads the table without the lock
// in one function; the fixed twin locks it.  BREAK_INIT drops the creates:
// the unlocked writes next to them are then counted and reported.
// RUN: %mapsafe_check %s -- %apr_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %apr_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=NOINIT -- %apr_cflags -DFIXED -DBREAK_INIT

#include <apr_hash.h>
#include <apr_thread_mutex.h>
#include <apr_thread_rwlock.h>

typedef struct {
  apr_thread_mutex_t *lock;
  apr_hash_t *entries;
} cache_t;

void cache_init(cache_t *c, apr_pool_t *pool) { // L:cache_init
#ifndef BREAK_INIT
  apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, pool);
#endif
  apr_hash_set(c->entries, "boot", APR_HASH_KEY_STRING, "1"); // L:init_set
  // NOINIT: apr-mutex-create.c:[[L_init_set]]:3: warning: 'cache_t.entries' is accessed with 'cache_t.lock' held in 4 of 5 functions; this write (apr_hash_set) does not hold it [mapsafe-inconsistent-locking]
  // NOINIT-NEXT: apr-mutex-create.c:[[L_put]]:3: note: 'cache_t.lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_get]]:19: note: 'cache_t.lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_del]]:5: note: 'cache_t.lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_cache_init]]:6: note: 'cache_init' has external linkage: any thread may call it
}

void cache_put(cache_t *c, const char *k, const char *v) {
  apr_thread_mutex_lock(c->lock);
  apr_hash_set(c->entries, k, APR_HASH_KEY_STRING, v); // L:put
  apr_thread_mutex_unlock(c->lock);
}

const char *cache_get(cache_t *c, const char *k) {
  apr_thread_mutex_lock(c->lock);
  const char *v = apr_hash_get(c->entries, k, APR_HASH_KEY_STRING); // L:get
  apr_thread_mutex_unlock(c->lock);
  return v;
}

void cache_del(cache_t *c, const char *k) {
  if (apr_thread_mutex_trylock(c->lock) == APR_SUCCESS) {
    apr_hash_set(c->entries, k, APR_HASH_KEY_STRING, NULL); // L:del
    apr_thread_mutex_unlock(c->lock);
  }
}

unsigned cache_count(cache_t *c) { // L:cache_count
#ifdef FIXED
  apr_thread_mutex_lock(c->lock);
#endif
  unsigned n = apr_hash_count(c->entries); // L:count
  // CHECK: apr-mutex-create.c:[[L_count]]:16: warning: 'cache_t.entries' is accessed with 'cache_t.lock' held in 3 of 4 functions; this read (apr_hash_count) does not hold it [mapsafe-inconsistent-locking]
  // CHECK-NEXT: apr-mutex-create.c:[[L_put]]:3: note: 'cache_t.lock' is held here
  // CHECK-NEXT: apr-mutex-create.c:[[L_get]]:19: note: 'cache_t.lock' is held here
  // CHECK-NEXT: apr-mutex-create.c:[[L_del]]:5: note: 'cache_t.lock' is held here
  // CHECK-NEXT: apr-mutex-create.c:[[L_cache_count]]:10: note: 'cache_count' has external linkage: any thread may call it
#ifdef FIXED
  apr_thread_mutex_unlock(c->lock);
#endif
  return n;
}

/* A global table and its read-write lock, created by a function of its own. */
static apr_hash_t *registry;
static apr_thread_rwlock_t *registry_lock;

void registry_init(apr_pool_t *pool) { // L:registry_init
#ifndef BREAK_INIT
  apr_thread_rwlock_create(&registry_lock, pool);
#endif
  apr_hash_set(registry, "builtin", APR_HASH_KEY_STRING, "1"); // L:registry_seed
  // NOINIT: apr-mutex-create.c:[[L_registry_seed]]:3: warning: 'registry' is accessed with 'registry_lock' held in 4 of 5 functions; this write (apr_hash_set) does not hold it [mapsafe-inconsistent-locking]
  // NOINIT-NEXT: apr-mutex-create.c:[[L_registry_put]]:3: note: 'registry_lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_registry_drop]]:5: note: 'registry_lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_registry_get]]:9: note: 'registry_lock' is held here
  // NOINIT-NEXT: apr-mutex-create.c:[[L_registry_init]]:6: note: 'registry_init' has external linkage: any thread may call it
}

void registry_put(const char *k, const char *v) {
  apr_thread_rwlock_wrlock(registry_lock);
  apr_hash_set(registry, k, APR_HASH_KEY_STRING, v); // L:registry_put
  apr_thread_rwlock_unlock(registry_lock);
}

void registry_drop(const char *k) {
  if (apr_thread_rwlock_trywrlock(registry_lock) == APR_SUCCESS) {
    apr_hash_set(registry, k, APR_HASH_KEY_STRING, NULL); // L:registry_drop
    apr_thread_rwlock_unlock(registry_lock);
  }
}

const char *registry_get(const char *k) {
  const char *v = NULL;
  if (apr_thread_rwlock_tryrdlock(registry_lock) == APR_SUCCESS) {
    v = apr_hash_get(registry, k, APR_HASH_KEY_STRING); // L:registry_get
    apr_thread_rwlock_unlock(registry_lock);
  }
  return v;
}

unsigned registry_size(void) {
  apr_thread_rwlock_rdlock(registry_lock);
  unsigned n = apr_hash_count(registry); // L:registry_size
  apr_thread_rwlock_unlock(registry_lock);
  return n;
}
