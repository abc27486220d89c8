// Redis's dict, described by the opt-in rule file
// rules/optional/redis-dict.yaml (Inputs/dict.h has the API).  A lookup
// (dictFind) can move a bucket of an incremental rehash, so it is a write:
// lookups in several threads under the read side of a read-write lock
// race with one another, and so does a safe iterator, which pauses
// rehashing.  The buggy twin looks up and walks with a safe iterator
// under the read lock; the fixed twins take the write lock, or a mutex
// everywhere.  Iterating with dictGetIterator under the read lock is a
// read, which the read lock protects: in the buggy twin the lookups that
// write under the read lock are reported, not the iteration.
// RUN: %mapsafe_check %s --config="{CheckOptions: {mapsafe.RulesFiles: '%S/../../rules/optional/redis-dict.yaml'}}" \
// RUN:   -- -pthread -I%S/Inputs
// RUN: %mapsafe_check %s --prefix=FIXED --config="{CheckOptions: {mapsafe.RulesFiles: '%S/../../rules/optional/redis-dict.yaml'}}" \
// RUN:   -- -pthread -I%S/Inputs -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED --config="{CheckOptions: {mapsafe.RulesFiles: '%S/../../rules/optional/redis-dict.yaml'}}" \
// RUN:   -- -pthread -I%S/Inputs -DFIXED -DUSE_MUTEX
// The file is not built in: without it, mapsafe sees no map here.
// RUN: %mapsafe_check %s --prefix=BUILTIN -- -pthread -I%S/Inputs
// BUILTIN-NOT: warning:

#include <pthread.h>
#include <string.h>
#include "dict.h"

static uint64_t hash_str(const void *key) { return dictGenHashFunction(key, strlen(key)); }
static dictType key_type = {hash_str, NULL, NULL, NULL, NULL, NULL};

static dict *keys;
#ifdef USE_MUTEX
static pthread_mutex_t keys_mutex = PTHREAD_MUTEX_INITIALIZER;
#else
static pthread_rwlock_t keys_lock = PTHREAD_RWLOCK_INITIALIZER;
#endif

static void lock_exclusive(void) {
#ifdef USE_MUTEX
  pthread_mutex_lock(&keys_mutex);
#else
  pthread_rwlock_wrlock(&keys_lock);
#endif
}

static void lock_shared(void) {
#ifdef USE_MUTEX
  pthread_mutex_lock(&keys_mutex);
#else
  pthread_rwlock_rdlock(&keys_lock);
#endif
}

static void unlock(void) {
#ifdef USE_MUTEX
  pthread_mutex_unlock(&keys_mutex);
#else
  pthread_rwlock_unlock(&keys_lock);
#endif
}

static void *getter(void *key) {
#ifdef FIXED
  lock_exclusive();
#else
  lock_shared(); // L:getter_shared
#endif
  dictEntry *de = dictFind(keys, key); // L:find
  // CHECK: redis-dict.c:[[L_find]]:19: warning: unsynchronized write to map 'keys' (dictFind) can race with a write in another instance of thread 'getter'; 'keys_lock' is held only in shared mode [mapsafe-unsynchronized-write]
  // CHECK-NEXT: redis-dict.c:[[L_find]]:19: note: the same write (dictFind) runs concurrently in another instance of thread 'getter'
  // CHECK-NEXT: redis-dict.c:[[L_getter_shared]]:3: note: 'keys_lock' is acquired here in shared (read) mode, which does not exclude other readers
  // CHECK-NEXT: redis-dict.c:[[L_spawn_getter]]:5: note: thread 'getter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: redis-dict.c:[[L_new]]:10: note: 'keys' is created here: a dict
  void *val = de ? dictGetVal(de) : NULL;
  unlock();
  return val;
}

static void *setter(void *key) {
  lock_exclusive();
  dictReplace(keys, key, "v2");
  unlock();
  return NULL;
}

static void *lister(void *arg) {
  unsigned n = 0;
  lock_shared();
  dictIterator *it = dictGetIterator(keys);
  while (dictNext(it))
    n++;
  dictReleaseIterator(it);
  unlock();
  return NULL;
}

static void *scanner(void *arg) {
#ifdef FIXED
  lock_exclusive();
#else
  lock_shared(); // L:scanner_shared
#endif
  dictIterator *it = dictGetSafeIterator(keys); // L:safe
  // CHECK: redis-dict.c:[[L_safe]]:22: warning: unsynchronized write to map 'keys' (dictGetSafeIterator) can race with a write in thread 'getter'; 'keys_lock' is held only in shared mode [mapsafe-unsynchronized-write]
  // CHECK-NEXT: redis-dict.c:[[L_find]]:19: note: conflicting write (dictFind) in thread 'getter'
  // CHECK-NEXT: redis-dict.c:[[L_scanner_shared]]:3: note: 'keys_lock' is acquired here in shared (read) mode, which does not exclude other readers
  // CHECK-NEXT: redis-dict.c:[[L_spawn_getter]]:5: note: thread 'getter' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: redis-dict.c:[[L_spawn_scanner]]:3: note: thread 'scanner' is started here by the main thread
  // CHECK-NEXT: redis-dict.c:[[L_new]]:10: note: 'keys' is created here: a dict
  while (dictNext(it))
    ;
  dictReleaseIterator(it);
  unlock();
  return NULL;
}

int main(void) {
  pthread_t g[4], s, l, c;
  keys = dictCreate(&key_type); // L:new
  dictAdd(keys, "k", "v1");
  for (int i = 0; i < 4; i++)
    pthread_create(&g[i], NULL, getter, "k"); // L:spawn_getter
  pthread_create(&s, NULL, setter, "k");
  pthread_create(&l, NULL, lister, NULL);
  pthread_create(&c, NULL, scanner, NULL); // L:spawn_scanner
  for (int i = 0; i < 4; i++)
    pthread_join(g[i], NULL);
  pthread_join(s, NULL);
  pthread_join(l, NULL);
  pthread_join(c, NULL);
  dictRelease(keys);
  return 0;
}
