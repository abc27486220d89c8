// A helper that drops its caller's lock around slow work and takes it again
// (GObject's type_data_ref_Wm, handler_unref_R) leaves the caller holding
// it: the insert after the call is guarded (fixed twin, silent).  When the
// helper never takes it again, the insert is not (reported).  When only one
// path of the helper returns without it (SOME: an error path, as in
// libsoup's soup_cache_entry_remove), the caller holds the lock after the
// call on some paths only, and such an access is no evidence either way:
// silent, as for the caller's own locks taken on some paths.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DSOME
// FIXED-NOT: warning:

#include <glib.h>

static GHashTable *types;
static GMutex types_lock;

static void load_plugin(int lazy) {
  g_mutex_unlock(&types_lock);
  g_usleep(10); /* the plugin runs without the lock */
#if defined(FIXED)
  g_mutex_lock(&types_lock);
#elif defined(SOME)
  if (lazy > 1)
    return;
  g_mutex_lock(&types_lock);
#endif
}

void type_add(const char *name) {
  g_mutex_lock(&types_lock);
  g_hash_table_add(types, (gpointer)name); // L:add
  g_mutex_unlock(&types_lock);
}

gboolean type_known(const char *name) {
  g_mutex_lock(&types_lock);
  gboolean known = g_hash_table_contains(types, name); // L:known
  g_mutex_unlock(&types_lock);
  return known;
}

void type_register(const char *name, int lazy) { // L:register_fn
  g_mutex_lock(&types_lock);
  load_plugin(lazy);
  g_hash_table_add(types, (gpointer)name); // L:register
  g_mutex_unlock(&types_lock);
}

// CHECK: guard-callee-relocks.c:[[L_register]]:3: warning: 'types' is accessed with 'types_lock' held in 2 of 3 functions; this write (g_hash_table_add) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-callee-relocks.c:[[L_add]]:3: note: 'types_lock' is held here
// CHECK-NEXT: guard-callee-relocks.c:[[L_known]]:20: note: 'types_lock' is held here
// CHECK-NEXT: guard-callee-relocks.c:[[L_register_fn]]:6: note: 'type_register' has external linkage: any thread may call it
