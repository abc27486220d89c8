// GDBus: a skeleton's "handle-<method>" signal handlers run in worker
// threads, one per invocation and many at once, when the skeleton has
// G_DBUS_INTERFACE_SKELETON_FLAGS_HANDLE_METHOD_INVOCATIONS_IN_THREAD;
// without it they run in the main context's thread, as any signal handler
// (INLINE: nothing to report).  The handler gets the user data as its last
// parameter.  The buggy twin records callers without the lock; the fixed
// twin holds it.
// RUN: %mapsafe_check %s -- %glib_cflags %gio_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %gio_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %gio_cflags -DINLINE

#include <gio/gio.h>

/* What gdbus-codegen generates for an interface with a Frob method. */
typedef struct _MyFrob MyFrob;
GDBusInterfaceSkeleton *my_frob_skeleton_new(void);
void my_frob_complete_frob(MyFrob *object, GDBusMethodInvocation *invocation);

struct service {
  GMutex lock;
  GHashTable *callers;
};

static gboolean on_frob(MyFrob *object, GDBusMethodInvocation *invocation, const gchar *arg,
                        gpointer user_data) { // L:handler
  struct service *s = user_data;
#ifdef FIXED
  g_mutex_lock(&s->lock);
#endif
  g_hash_table_add(s->callers, g_strdup(g_dbus_method_invocation_get_sender(invocation))); // L:add
#ifdef FIXED
  g_mutex_unlock(&s->lock);
#endif
  my_frob_complete_frob(object, invocation);
  return TRUE;
}

void export_frob(GDBusConnection *conn, struct service *s) {
  GDBusInterfaceSkeleton *skel = my_frob_skeleton_new();
#ifndef INLINE
  g_dbus_interface_skeleton_set_flags(skel, G_DBUS_INTERFACE_SKELETON_FLAGS_HANDLE_METHOD_INVOCATIONS_IN_THREAD);
#endif
  g_signal_connect(skel, "handle-frob", G_CALLBACK(on_frob), s); // L:connect
  g_signal_connect(skel, "notify", G_CALLBACK(on_frob), s);
  g_dbus_interface_skeleton_export(skel, conn, "/org/example/Frob", NULL);
}

// CHECK: gdbus-threaded-handlers.c:[[L_add]]:3: warning: unsynchronized write to map 'struct service.callers' (g_hash_table_add) can race with a write in another instance of thread 'on_frob'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: gdbus-threaded-handlers.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'on_frob'
// CHECK-NEXT: gdbus-threaded-handlers.c:[[L_connect]]:3: note: thread 'on_frob' is started here by the thread calling 'export_frob', with many instances running at once
