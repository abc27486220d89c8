// A helper does its locked work only when an optional pointer argument is
// given (`if (dataset) destroy(dataset)`, GLib's g_data_set_internal).  A
// caller that passes NULL there never reaches that work, so holding no lock
// is fine (fixed twin).  Passing a real pointer without the lock is not.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

static GHashTable *datasets;
static GMutex datasets_lock;

typedef struct { const void *location; } Dataset;

static void dataset_destroy(Dataset *d) {
  g_hash_table_remove(datasets, d->location); // L:remove
}

static void set_data(gpointer *list, gpointer data, Dataset *dataset) {
  *list = data;
  if (dataset)
    dataset_destroy(dataset); // L:destroy_call
}

void dataset_set(Dataset *d, gpointer data, gpointer *list) {
  g_mutex_lock(&datasets_lock);
  set_data(list, data, d);
  g_mutex_unlock(&datasets_lock);
}

gboolean dataset_known(const void *location) {
  g_mutex_lock(&datasets_lock);
  gboolean r = g_hash_table_contains(datasets, location); // L:known
  g_mutex_unlock(&datasets_lock);
  return r;
}

void datalist_set(gpointer *list, gpointer data, Dataset *d) { // L:list_fn
#ifdef FIXED
  (void)d;
  set_data(list, data, NULL);
#else
  set_data(list, data, d); // L:list_call
#endif
}

// CHECK: guard-null-argument.c:[[L_remove]]:3: warning: 'datasets' is accessed with 'datasets_lock' held in 2 of 3 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-null-argument.c:[[L_known]]:16: note: 'datasets_lock' is held here
// CHECK-NEXT: guard-null-argument.c:[[L_list_fn]]:6: note: 'datalist_set' has external linkage: any thread may call it
// CHECK-NEXT: guard-null-argument.c:[[L_list_call]]:3: note: 'set_data' is called from 'datalist_set' here
// CHECK-NEXT: guard-null-argument.c:[[L_destroy_call]]:5: note: 'dataset_destroy' is called from 'set_data' here
