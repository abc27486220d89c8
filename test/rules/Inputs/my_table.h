/* A project's own hash table API, which mapsafe knows nothing about until a
   rule file (rules/my_table.yaml) describes it.  Declarations only. */
#ifndef MY_TABLE_H
#define MY_TABLE_H

typedef struct my_table my_table;

unsigned my_str_hash(const void *key);
my_table *my_table_new(unsigned (*hash)(const void *key));
void my_table_put(my_table *t, const char *key, void *value);
void *my_table_get(my_table *t, const char *key);
void my_table_free(my_table *t);

typedef struct my_lock my_lock;
void my_lock_take(my_lock *l);
void my_lock_drop(my_lock *l);

#endif
