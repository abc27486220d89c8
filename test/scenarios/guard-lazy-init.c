// Creating the table: an init function that stores a new table and touches
// it first is the owner's initialisation (silent in every twin).  A lazy
// `if (!m) m = new()` in a function any thread may call races with itself
// and with the locked users (T4): reported at the test that found it empty;
// fixed, it runs under the lock.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// The init function's twin that first drops the old table replaces one that
// others use: counted, and reported.
// RUN: %mapsafe_check %s --prefix=REPLACE -- %glib_cflags -DFIXED -DREPLACE
// FIXED-NOT: warning:

#include <glib.h>

static GHashTable *registry;
static GMutex registry_lock;

void registry_init(void) { // L:init_fn
#ifdef REPLACE
  g_hash_table_unref(registry); // L:unref
#endif
  registry = g_hash_table_new(g_str_hash, g_str_equal); // L:create
  g_hash_table_add(registry, "builtin"); // L:builtin
}

void registry_add(const char *name) {
  g_mutex_lock(&registry_lock);
  g_hash_table_add(registry, (gpointer)name); // L:add
  g_mutex_unlock(&registry_lock);
}

gboolean registry_has(const char *name) {
  g_mutex_lock(&registry_lock);
  gboolean r = g_hash_table_contains(registry, name); // L:has
  g_mutex_unlock(&registry_lock);
  return r;
}

static GHashTable *aliases;
static GMutex aliases_lock;

void alias_add(const char *from, const char *to) {
  g_mutex_lock(&aliases_lock);
  g_hash_table_insert(aliases, (gpointer)from, (gpointer)to); // L:alias_add
  g_mutex_unlock(&aliases_lock);
}

const char *alias_get(const char *from) {
  g_mutex_lock(&aliases_lock);
  const char *to = g_hash_table_lookup(aliases, from); // L:alias_get
  g_mutex_unlock(&aliases_lock);
  return to;
}

void alias_ensure(void) { // L:ensure_fn
#ifdef FIXED
  g_mutex_lock(&aliases_lock);
#endif
  if (!aliases) // L:check
    aliases = g_hash_table_new(g_str_hash, g_str_equal); // L:lazy
#ifdef FIXED
  g_mutex_unlock(&aliases_lock);
#endif
}


// CHECK: guard-lazy-init.c:[[L_check]]:7: warning: 'aliases' is accessed with 'aliases_lock' held in 2 of 3 functions; this creation (g_hash_table_new) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-lazy-init.c:[[L_alias_add]]:3: note: 'aliases_lock' is held here
// CHECK-NEXT: guard-lazy-init.c:[[L_alias_get]]:20: note: 'aliases_lock' is held here
// CHECK-NEXT: guard-lazy-init.c:[[L_ensure_fn]]:6: note: 'alias_ensure' has external linkage: any thread may call it
// REPLACE: guard-lazy-init.c:[[L_unref]]:3: warning: 'registry' is accessed with 'registry_lock' held in 2 of 3 functions; this destruction (g_hash_table_unref) does not hold it [mapsafe-inconsistent-locking]
// REPLACE-NEXT: guard-lazy-init.c:[[L_add]]:3: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_has]]:16: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_init_fn]]:6: note: 'registry_init' has external linkage: any thread may call it
// REPLACE-NEXT: guard-lazy-init.c:[[L_create]]:14: warning: 'registry' is accessed with 'registry_lock' held in 2 of 3 functions; this creation (g_hash_table_new) does not hold it [mapsafe-inconsistent-locking]
// REPLACE-NEXT: guard-lazy-init.c:[[L_add]]:3: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_has]]:16: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_init_fn]]:6: note: 'registry_init' has external linkage: any thread may call it
// REPLACE-NEXT: guard-lazy-init.c:[[L_builtin]]:3: warning: 'registry' is accessed with 'registry_lock' held in 2 of 3 functions; this write (g_hash_table_add) does not hold it [mapsafe-inconsistent-locking]
// REPLACE-NEXT: guard-lazy-init.c:[[L_add]]:3: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_has]]:16: note: 'registry_lock' is held here
// REPLACE-NEXT: guard-lazy-init.c:[[L_init_fn]]:6: note: 'registry_init' has external linkage: any thread may call it
