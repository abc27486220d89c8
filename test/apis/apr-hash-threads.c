// APR: apr_hash_t shared by APR threads (apr_thread_create, whose data is
// the thread function's second parameter; apr_thread_join), guarded by an
// apr_thread_mutex_t and an apr_thread_rwlock_t.  The buggy twin forgets
// the mutex around the session writes, around apr_hash_do (whose callback
// removes entries) and around an apr_hash_first loop; the fixed twin holds
// it.  The routes table is read under the read lock; the buggy twin also
// writes it under the read lock, the fixed twin under the write lock.  Where apr_thread_create fails (a result other than
// APR_SUCCESS) its thread does not run, and after the joins the main
// thread is alone: its accesses there are not reported.
// RUN: %mapsafe_check %s -- %apr_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %apr_cflags -pthread -DFIXED

#include <apr_general.h>
#include <apr_hash.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <apr_thread_rwlock.h>

static apr_hash_t *sessions;
static apr_thread_mutex_t *sessions_lock;
static apr_hash_t *routes;
static apr_thread_rwlock_t *routes_lock;

/* apr_hash_do's callback: removes each entry (a NULL value removes). */
static int expire_one(void *rec, const void *key, apr_ssize_t klen, const void *value) {
  int *expired = rec;
  ++*expired;
  apr_hash_set(sessions, key, klen, NULL); // L:expire_set
  // CHECK: apr-hash-threads.c:[[L_expire_set]]:3: warning: unsynchronized write to map 'sessions' (apr_hash_set) can race with a write in thread 'login'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: apr-hash-threads.c:[[L_login_set]]:3: note: conflicting write (apr_hash_set) in thread 'login'
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_login]]:5: note: thread 'login' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_sweeper]]:3: note: thread 'sweeper' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_do]]:3: note: 'expire_one' is called from 'sweeper' here
  // CHECK-NEXT: apr-hash-threads.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a{{n?}} apr_hash_t
  return 1;
}

static void *APR_THREAD_FUNC login(apr_thread_t *thd, void *name) {
#ifdef FIXED
  apr_thread_mutex_lock(sessions_lock);
#endif
  apr_hash_set(sessions, name, APR_HASH_KEY_STRING, name); // L:login_set
  // CHECK: apr-hash-threads.c:[[L_login_set]]:3: warning: unsynchronized write to map 'sessions' (apr_hash_set) can race with a write in thread 'sweeper'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: apr-hash-threads.c:[[L_expire_set]]:3: note: conflicting write (apr_hash_set) in thread 'sweeper'
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_sweeper]]:3: note: thread 'sweeper' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_login]]:5: note: thread 'login' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: apr-hash-threads.c:[[L_do]]:3: note: 'expire_one' is called from 'sweeper' here
  // CHECK-NEXT: apr-hash-threads.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a{{n?}} apr_hash_t
#ifdef FIXED
  apr_thread_mutex_unlock(sessions_lock);
#endif
  apr_thread_rwlock_rdlock(routes_lock);
  void *route = apr_hash_get(routes, name, APR_HASH_KEY_STRING); // L:login_get
  apr_thread_rwlock_unlock(routes_lock);
  return route;
}

/* Handed the sessions table as its data (the second parameter). */
static void *APR_THREAD_FUNC sweeper(apr_thread_t *thd, void *table) {
  int expired = 0;
#ifdef FIXED
  apr_thread_mutex_lock(sessions_lock);
#endif
  apr_hash_do(expire_one, &expired, table); // L:do
  // CHECK: apr-hash-threads.c:[[L_do]]:3: warning: unsynchronized iteration over map 'sessions' (apr_hash_do) can race with a write in thread 'login'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: apr-hash-threads.c:[[L_login_set]]:3: note: conflicting write (apr_hash_set) in thread 'login'
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_login]]:5: note: thread 'login' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_sweeper]]:3: note: thread 'sweeper' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a{{n?}} apr_hash_t
#ifdef FIXED
  apr_thread_mutex_unlock(sessions_lock);
#endif
#ifdef FIXED
  apr_thread_rwlock_wrlock(routes_lock);
#else
  apr_thread_rwlock_rdlock(routes_lock); // L:sweeper_rdlock
#endif
  apr_hash_set(routes, "default", APR_HASH_KEY_STRING, "10.0.0.1"); // L:route_set
  // CHECK: apr-hash-threads.c:[[L_route_set]]:3: warning: unsynchronized write to map 'routes' (apr_hash_set) can race with a read in thread 'login'; 'routes_lock' is held only in shared mode [mapsafe-unsynchronized-write]
  // CHECK-NEXT: apr-hash-threads.c:[[L_login_get]]:17: note: conflicting read (apr_hash_get) in thread 'login'
  // CHECK-NEXT: apr-hash-threads.c:[[L_sweeper_rdlock]]:3: note: 'routes_lock' is acquired here in shared (read) mode, which does not exclude other readers
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_login]]:5: note: thread 'login' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_sweeper]]:3: note: thread 'sweeper' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_new_routes]]:12: note: 'routes' is created here: a{{n?}} apr_hash_t
  apr_thread_rwlock_unlock(routes_lock);
  return NULL;
}

static void *APR_THREAD_FUNC auditor(apr_thread_t *thd, void *pool) {
  unsigned n = 0;
#ifdef FIXED
  apr_thread_mutex_lock(sessions_lock);
#endif
  for (apr_hash_index_t *hi = apr_hash_first(pool, sessions); hi; hi = apr_hash_next(hi)) // L:first
    n++;
  // CHECK: apr-hash-threads.c:[[L_first]]:31: warning: unsynchronized iteration over map 'sessions' (apr_hash_first) can race with a write in thread 'sweeper'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: apr-hash-threads.c:[[L_expire_set]]:3: note: conflicting write (apr_hash_set) in thread 'sweeper'
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_sweeper]]:3: note: thread 'sweeper' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_spawn_auditor]]:7: note: thread 'auditor' is started here by the main thread
  // CHECK-NEXT: apr-hash-threads.c:[[L_do]]:3: note: 'expire_one' is called from 'sweeper' here
  // CHECK-NEXT: apr-hash-threads.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a{{n?}} apr_hash_t
#ifdef FIXED
  apr_thread_mutex_unlock(sessions_lock);
#endif
  apr_thread_rwlock_rdlock(routes_lock);
  apr_hash_t *snapshot = apr_hash_copy(pool, routes);
  apr_thread_rwlock_unlock(routes_lock);
  return snapshot;
}

static void *merge_route(apr_pool_t *p, const void *key, apr_ssize_t klen,
                         const void *old, const void *new, const void *data) {
  return (void *)new;
}

int main(void) {
  apr_pool_t *pool;
  apr_thread_t *t[4], *s, *a;
  apr_status_t rv;
  apr_initialize();
  apr_pool_create(&pool, NULL);
  apr_thread_mutex_create(&sessions_lock, APR_THREAD_MUTEX_DEFAULT, pool);
  apr_thread_rwlock_create(&routes_lock, pool);
  sessions = apr_hash_make(pool); // L:new_sessions
  routes = apr_hash_make_custom(pool, apr_hashfunc_default); // L:new_routes
  /* Until the auditor runs, the main thread is alone: where it did not
     start, the main thread writes the routes without the lock. */
  if (apr_thread_create(&a, NULL, auditor, pool, pool) != APR_SUCCESS) { // L:spawn_auditor
    apr_hash_set(routes, "audit", APR_HASH_KEY_STRING, "off");
    return 1;
  }
  for (int i = 0; i < 4; i++)
    apr_thread_create(&t[i], NULL, login, "alice", pool); // L:spawn_login
  apr_thread_create(&s, NULL, sweeper, sessions, pool); // L:spawn_sweeper
  for (int i = 0; i < 4; i++)
    apr_thread_join(&rv, t[i]);
  apr_thread_join(&rv, s);
  apr_thread_join(&rv, a);
  unsigned n = apr_hash_count(sessions);
  apr_hash_t *all = apr_hash_overlay(pool, sessions, routes);
  all = apr_hash_merge(pool, all, routes, merge_route, NULL);
  apr_hash_clear(routes);
  apr_thread_rwlock_destroy(routes_lock);
  apr_thread_mutex_destroy(sessions_lock);
  apr_pool_destroy(pool);
  apr_terminate();
  return (int)n;
}
