// A lock taken on some paths only (`if (context) LOCK_CONTEXT (context)`, as
// GLib's g_source_add_child_source does) is neither evidence nor reported,
// also in the helpers called while it may be held (fixed twin: silent).
// With no lock at all, the helper's insert is reported.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

typedef struct {
  GMutex mutex;
  GHashTable *sources;
} Context;

static void attach_unlocked(Context *c, gpointer source) {
  g_hash_table_insert(c->sources, source, source); // L:insert
}

void context_attach(Context *c, gpointer source) {
  g_mutex_lock(&c->mutex);
  attach_unlocked(c, source); // L:attach_call
  g_mutex_unlock(&c->mutex);
}

gpointer context_find(Context *c, gpointer source) {
  g_mutex_lock(&c->mutex);
  gpointer found = g_hash_table_lookup(c->sources, source); // L:find
  g_mutex_unlock(&c->mutex);
  return found;
}

void context_add_child(Context *c, gpointer child) { // L:child_fn
#ifdef FIXED
  gboolean locked = c != NULL;
  if (locked)
    g_mutex_lock(&c->mutex);
#endif
  attach_unlocked(c, child); // L:child_call
#ifdef FIXED
  if (locked)
    g_mutex_unlock(&c->mutex);
#endif
}

// CHECK: guard-maybe-held-call.c:[[L_insert]]:3: warning: 'Context.sources' is accessed with 'Context.mutex' held in 2 of 3 functions; this write (g_hash_table_insert) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-maybe-held-call.c:[[L_find]]:20: note: 'Context.mutex' is held here
// CHECK-NEXT: guard-maybe-held-call.c:[[L_child_fn]]:6: note: 'context_add_child' has external linkage: any thread may call it
// CHECK-NEXT: guard-maybe-held-call.c:[[L_child_call]]:3: note: 'attach_unlocked' is called from 'context_add_child' here
