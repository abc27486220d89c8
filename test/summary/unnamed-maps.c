// Map operations on maps mapsafe cannot name (the table comes back from a
// call each time), and no thread: the summary says which it is, rather than
// counting zero maps, and a note says those operations are not checked.
// RUN: %mapsafe_check %s --config='{CheckOptions: {mapsafe.Summary: true}}' -- %glib_cflags

#include <glib.h>

GHashTable *registry_table(void); /* defined in another file */

static void remember(const char *name) {
  g_hash_table_add(registry_table(), g_strdup(name));
}

int main(void) {
  remember("a");
  return g_hash_table_contains(registry_table(), "a") ? 0 : 1;
}

// CHECK: unnamed-maps.c:1:1: remark: mapsafe summary: 2 map operations on maps mapsafe cannot name, but no thread starts and no concurrent entry points are visible in this file: nothing can race here as far as mapsafe can see [mapsafe-incomplete-analysis]
// CHECK-NEXT: unnamed-maps.c:1:1: note: 2 of the 2 map operations are not checked: mapsafe cannot name the map (a call's result, '*pp'), or no call path reaches them with one
// CHECK-NEXT: unnamed-maps.c:1:1: note: to check these maps against threads started elsewhere {{.*}}
