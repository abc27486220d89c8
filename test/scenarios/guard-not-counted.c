// What guard inference does not count, each silent, each with a twin that
// breaks it (-DBREAK_X, prefix X): the owner's initialisation (a function
// that initialises the lock), the teardown (the branch of a last-reference
// test; a function that destroys the lock and frees, or destroys the map),
// a lock held on some paths only (maybe-held), a map that is only read, and
// one guarded site against three unguarded ones (below the ratio).
// RUN: %mapsafe_check %s --prefix=SILENT -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=INIT -- %glib_cflags -DBREAK_INIT
// RUN: %mapsafe_check %s --prefix=UNREF -- %glib_cflags -DBREAK_UNREF
// RUN: %mapsafe_check %s --prefix=FREE -- %glib_cflags -DBREAK_FREE
// RUN: %mapsafe_check %s --prefix=MAYBE -- %glib_cflags -DBREAK_MAYBE
// RUN: %mapsafe_check %s --prefix=READONLY -- %glib_cflags -DBREAK_READONLY
// RUN: %mapsafe_check %s --prefix=RATIO -- %glib_cflags -DBREAK_RATIO
// SILENT-NOT: warning:

#include <glib.h>

typedef struct {
  GMutex mu;
  GHashTable *map;
  gint ref;
} Cache;

// A fresh struct, filled before anyone else can see it.
Cache *cache_new(void) {
  Cache *c = g_new0(Cache, 1);
  g_mutex_init(&c->mu);
  c->map = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(c->map, "a", "b");
  c->ref = 1;
  return c;
}

// The owner's initialisation, in place: it sets the lock up.
void cache_init(Cache *c) { // L:init_fn
#ifndef BREAK_INIT
  g_mutex_init(&c->mu);
#endif
  g_hash_table_insert(c->map, "x", "y"); // L:init_insert
}

void cache_put(Cache *c, const char *k, const char *v) {
  g_mutex_lock(&c->mu);
  g_hash_table_insert(c->map, (gpointer)k, (gpointer)v); // L:put
  g_mutex_unlock(&c->mu);
}

const char *cache_get(Cache *c, const char *k) {
  g_mutex_lock(&c->mu);
  const char *v = g_hash_table_lookup(c->map, k); // L:get
  g_mutex_unlock(&c->mu);
  return v;
}

// The last reference is gone: nobody else can reach the table.
void cache_unref(Cache *c) { // L:unref_fn
#ifndef BREAK_UNREF
  if (g_atomic_int_dec_and_test(&c->ref))
#endif
  {
    g_hash_table_destroy(c->map); // L:unref_destroy
  }
}

// Destroys the lock and frees the owner: its teardown.  (Destroying the
// map frees memory too: without g_free it is still the teardown.)  The
// twin keeps the lock: a destruction that other threads may still race.
void cache_free(Cache *c) { // L:free_fn
  g_hash_table_destroy(c->map); // L:free_destroy
#ifndef BREAK_FREE
  g_mutex_clear(&c->mu);
#endif
}

// The lock is held on some paths only: neither evidence nor reported.
void cache_drop(Cache *c, gboolean locked) { // L:drop_fn
#ifndef BREAK_MAYBE
  if (!locked)
    g_mutex_lock(&c->mu);
#endif
  g_hash_table_remove(c->map, "a"); // L:drop
#ifndef BREAK_MAYBE
  if (!locked)
    g_mutex_unlock(&c->mu);
#endif
}

// Only read: nothing to guard.
static GHashTable *config;
static GMutex config_lock;

const char *config_get(const char *k) {
  g_mutex_lock(&config_lock);
  const char *v = g_hash_table_lookup(config, k); // L:config_get
  g_mutex_unlock(&config_lock);
  return v;
}

const char *config_get_default(const char *k, const char *d) {
  g_mutex_lock(&config_lock);
  const char *v = g_hash_table_lookup(config, k); // L:config_get_default
  g_mutex_unlock(&config_lock);
  return v ? v : d;
}

guint config_size(void) { // L:size_fn
  return g_hash_table_size(config); // L:size
}

#ifdef BREAK_READONLY
void config_set(const char *k, const char *v) {
  g_mutex_lock(&config_lock);
  g_hash_table_replace(config, (gpointer)k, (gpointer)v); // L:config_set
  g_mutex_unlock(&config_lock);
}
#endif

// One guarded site against three unguarded ones: no clear guard.
static GHashTable *stats;
static GMutex stats_lock;

void stats_a(void) {
  g_mutex_lock(&stats_lock);
  g_hash_table_insert(stats, "a", "1"); // L:stats_a
  g_mutex_unlock(&stats_lock);
}

void stats_b(void) {
#ifdef BREAK_RATIO
  g_mutex_lock(&stats_lock);
#endif
  g_hash_table_insert(stats, "b", "1"); // L:stats_b
#ifdef BREAK_RATIO
  g_mutex_unlock(&stats_lock);
#endif
}

void stats_c(void) {
#ifdef BREAK_RATIO
  g_mutex_lock(&stats_lock);
#endif
  g_hash_table_insert(stats, "c", "1"); // L:stats_c
#ifdef BREAK_RATIO
  g_mutex_unlock(&stats_lock);
#endif
}

void stats_d(void) { // L:stats_d_fn
  g_hash_table_remove(stats, "d"); // L:stats_d
}

// INIT: guard-not-counted.c:[[L_init_insert]]:3: warning: 'Cache.map' is accessed with 'Cache.mu' held in 2 of 3 functions; this write (g_hash_table_insert) does not hold it [mapsafe-inconsistent-locking]
// INIT-NEXT: guard-not-counted.c:[[L_put]]:3: note: 'Cache.mu' is held here
// INIT-NEXT: guard-not-counted.c:[[L_get]]:19: note: 'Cache.mu' is held here
// INIT-NEXT: guard-not-counted.c:[[L_init_fn]]:6: note: 'cache_init' has external linkage: any thread may call it
// UNREF: guard-not-counted.c:[[L_unref_destroy]]:5: warning: 'Cache.map' is accessed with 'Cache.mu' held in 2 of 3 functions; this destruction (g_hash_table_destroy) does not hold it [mapsafe-inconsistent-locking]
// UNREF-NEXT: guard-not-counted.c:[[L_put]]:3: note: 'Cache.mu' is held here
// UNREF-NEXT: guard-not-counted.c:[[L_get]]:19: note: 'Cache.mu' is held here
// UNREF-NEXT: guard-not-counted.c:[[L_unref_fn]]:6: note: 'cache_unref' has external linkage: any thread may call it
// FREE: guard-not-counted.c:[[L_free_destroy]]:3: warning: 'Cache.map' is accessed with 'Cache.mu' held in 2 of 3 functions; this destruction (g_hash_table_destroy) does not hold it [mapsafe-inconsistent-locking]
// FREE-NEXT: guard-not-counted.c:[[L_put]]:3: note: 'Cache.mu' is held here
// FREE-NEXT: guard-not-counted.c:[[L_get]]:19: note: 'Cache.mu' is held here
// FREE-NEXT: guard-not-counted.c:[[L_free_fn]]:6: note: 'cache_free' has external linkage: any thread may call it
// MAYBE: guard-not-counted.c:[[L_drop]]:3: warning: 'Cache.map' is accessed with 'Cache.mu' held in 2 of 3 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
// MAYBE-NEXT: guard-not-counted.c:[[L_put]]:3: note: 'Cache.mu' is held here
// MAYBE-NEXT: guard-not-counted.c:[[L_get]]:19: note: 'Cache.mu' is held here
// MAYBE-NEXT: guard-not-counted.c:[[L_drop_fn]]:6: note: 'cache_drop' has external linkage: any thread may call it
// READONLY: guard-not-counted.c:[[L_size]]:10: warning: 'config' is accessed with 'config_lock' held in 3 of 4 functions; this read (g_hash_table_size) does not hold it [mapsafe-inconsistent-locking]
// READONLY-NEXT: guard-not-counted.c:[[L_config_get]]:19: note: 'config_lock' is held here
// READONLY-NEXT: guard-not-counted.c:[[L_config_get_default]]:19: note: 'config_lock' is held here
// READONLY-NEXT: guard-not-counted.c:[[L_config_set]]:3: note: 'config_lock' is held here
// READONLY-NEXT: guard-not-counted.c:[[L_size_fn]]:7: note: 'config_size' has external linkage: any thread may call it
// RATIO: guard-not-counted.c:[[L_stats_d]]:3: warning: 'stats' is accessed with 'stats_lock' held in 3 of 4 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
// RATIO-NEXT: guard-not-counted.c:[[L_stats_a]]:3: note: 'stats_lock' is held here
// RATIO-NEXT: guard-not-counted.c:[[L_stats_b]]:3: note: 'stats_lock' is held here
// RATIO-NEXT: guard-not-counted.c:[[L_stats_c]]:3: note: 'stats_lock' is held here
// RATIO-NEXT: guard-not-counted.c:[[L_stats_d_fn]]:6: note: 'stats_d' has external linkage: any thread may call it
