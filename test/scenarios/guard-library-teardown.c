// A library's global registry, guarded by a static GRWLock, torn down by
// the library's cleanup function without the lock (gstreamer's
// _priv_gst_meta_cleanup, called from gst_deinit): a static lock is never
// destroyed, and whoever still used the registry after the cleanup would
// have a lifetime bug no lock mends.  The cleanup's accesses up to the
// destruction are neither evidence nor reported (silent).  The twin
// (RESET) replaces the registry with a new one instead: other threads keep
// using it, so the unlocked swap is reported.
// RUN: %mapsafe_check %s --prefix=SILENT -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=RESET -- %glib_cflags -DRESET
// SILENT-NOT: warning:

#include <glib.h>

static GRWLock lock;
static GHashTable *registry;

void lib_register(const char *name, gpointer info) {
  g_rw_lock_writer_lock(&lock);
  g_hash_table_insert(registry, (gpointer)g_intern_string(name), info); // L:register_insert
  g_rw_lock_writer_unlock(&lock);
}

gpointer lib_lookup(const char *name) {
  g_rw_lock_reader_lock(&lock);
  gpointer info = g_hash_table_lookup(registry, name); // L:lookup
  g_rw_lock_reader_unlock(&lock);
  return info;
}

static gboolean drop_entry(gpointer key, gpointer value, gpointer data) {
  return TRUE;
}

void lib_registry_cleanup(void) { // L:cleanup_fn
  if (registry != NULL) {
    g_hash_table_foreach_remove(registry, drop_entry, NULL); // L:drop_all
    g_hash_table_unref(registry); // L:unref
#ifdef RESET
    registry = g_hash_table_new(g_str_hash, g_str_equal); // L:reset
#else
    registry = NULL;
#endif
  }
}

// RESET: guard-library-teardown.c:[[L_drop_all]]:5: warning: 'registry' is accessed with 'lock' held in 2 of 3 functions; this write (g_hash_table_foreach_remove) does not hold it [mapsafe-inconsistent-locking]
// RESET-NEXT: guard-library-teardown.c:[[L_register_insert]]:3: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_lookup]]:19: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_cleanup_fn]]:6: note: 'lib_registry_cleanup' has external linkage: any thread may call it
// RESET: guard-library-teardown.c:[[L_unref]]:5: warning: 'registry' is accessed with 'lock' held in 2 of 3 functions; this destruction (g_hash_table_unref) does not hold it [mapsafe-inconsistent-locking]
// RESET-NEXT: guard-library-teardown.c:[[L_register_insert]]:3: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_lookup]]:19: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_cleanup_fn]]:6: note: 'lib_registry_cleanup' has external linkage: any thread may call it
// RESET: guard-library-teardown.c:[[L_reset]]:16: warning: 'registry' is accessed with 'lock' held in 2 of 3 functions; this creation (g_hash_table_new) does not hold it [mapsafe-inconsistent-locking]
// RESET-NEXT: guard-library-teardown.c:[[L_register_insert]]:3: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_lookup]]:19: note: 'lock' is held here
// RESET-NEXT: guard-library-teardown.c:[[L_cleanup_fn]]:6: note: 'lib_registry_cleanup' has external linkage: any thread may call it
