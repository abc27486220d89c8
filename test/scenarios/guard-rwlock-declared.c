// A read without the read lock where writes take the write lock (T11); a
// map declared guarded with the Guards option, one access without it
// (T13): reported whatever the counts.  Fixed twins hold the locks.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=DECLARED --config="{CheckOptions: {mapsafe.Guards: 'names=names_lock'}}" -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED --config="{CheckOptions: {mapsafe.Guards: 'names=names_lock'}}" -- %glib_cflags -DFIXED
// Without the declaration one guarded function is too few: silent.
// FIXED-NOT: warning:

#include <glib.h>

static GHashTable *routes;
static GRWLock routes_lock;

void route_set(const char *k, gpointer v) {
  g_rw_lock_writer_lock(&routes_lock);
  g_hash_table_replace(routes, (gpointer)k, v); // L:set
  g_rw_lock_writer_unlock(&routes_lock);
}

void route_del(const char *k) {
  g_rw_lock_writer_lock(&routes_lock);
  g_hash_table_remove(routes, k); // L:del
  g_rw_lock_writer_unlock(&routes_lock);
}

gpointer route_get(const char *k) { // L:get_fn
#ifdef FIXED
  g_rw_lock_reader_lock(&routes_lock);
#endif
  gpointer v = g_hash_table_lookup(routes, k); // L:get
#ifdef FIXED
  g_rw_lock_reader_unlock(&routes_lock);
#endif
  return v;
}

static GHashTable *names;
static GMutex names_lock;

void names_add(const char *k) {
  g_mutex_lock(&names_lock);
  g_hash_table_add(names, (gpointer)k); // L:names_add
  g_mutex_unlock(&names_lock);
}

gboolean names_has(const char *k) { // L:has_fn
#ifdef FIXED
  g_mutex_lock(&names_lock);
#endif
  gboolean r = g_hash_table_contains(names, k); // L:has
#ifdef FIXED
  g_mutex_unlock(&names_lock);
#endif
  return r;
}

// CHECK: guard-rwlock-declared.c:[[L_get]]:16: warning: 'routes' is accessed with 'routes_lock' held in 2 of 3 functions; this read (g_hash_table_lookup) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-rwlock-declared.c:[[L_set]]:3: note: 'routes_lock' is held here
// CHECK-NEXT: guard-rwlock-declared.c:[[L_del]]:3: note: 'routes_lock' is held here
// CHECK-NEXT: guard-rwlock-declared.c:[[L_get_fn]]:10: note: 'route_get' has external linkage: any thread may call it
// DECLARED: guard-rwlock-declared.c:[[L_get]]:16: warning: 'routes' is accessed with 'routes_lock' held in 2 of 3 functions; this read (g_hash_table_lookup) does not hold it [mapsafe-inconsistent-locking]
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_set]]:3: note: 'routes_lock' is held here
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_del]]:3: note: 'routes_lock' is held here
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_get_fn]]:10: note: 'route_get' has external linkage: any thread may call it
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_has]]:16: warning: 'names' is declared to be guarded by 'names_lock'; this read (g_hash_table_contains) does not hold it [mapsafe-inconsistent-locking]
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_names_add]]:3: note: 'names_lock' is held here
// DECLARED-NEXT: guard-rwlock-declared.c:[[L_has_fn]]:10: note: 'names_has' has external linkage: any thread may call it
