/* The API of Redis's dict (src/dict.h), for the tests of
   rules/optional/redis-dict.yaml.  Prototypes only: no implementation. */
#ifndef DICT_H
#define DICT_H

#include <stddef.h>
#include <stdint.h>

#define DICT_OK 0
#define DICT_ERR 1

typedef struct dict dict;
typedef struct dictEntry dictEntry;

/* Complete, as in Redis, so that an iterator can live on the stack. */
typedef struct dictIterator {
  dict *d;
  long index;
  int table, safe;
  dictEntry *entry, *nextEntry;
  unsigned long long fingerprint;
} dictIterator;

typedef struct dictType {
  uint64_t (*hashFunction)(const void *key);
  void *(*keyDup)(dict *d, const void *key);
  void *(*valDup)(dict *d, const void *obj);
  int (*keyCompare)(dict *d, const void *key1, const void *key2);
  void (*keyDestructor)(dict *d, void *key);
  void (*valDestructor)(dict *d, void *obj);
} dictType;

typedef void(dictScanFunction)(void *privdata, const dictEntry *de);

dict *dictCreate(dictType *type);
int dictExpand(dict *d, unsigned long size);
int dictTryExpand(dict *d, unsigned long size);
int dictAdd(dict *d, void *key, void *val);
dictEntry *dictAddRaw(dict *d, void *key, dictEntry **existing);
dictEntry *dictAddOrFind(dict *d, void *key);
int dictReplace(dict *d, void *key, void *val);
int dictDelete(dict *d, const void *key);
dictEntry *dictUnlink(dict *d, const void *key);
void dictFreeUnlinkedEntry(dict *d, dictEntry *he);
void dictRelease(dict *d);
dictEntry *dictFind(dict *d, const void *key);
void *dictFetchValue(dict *d, const void *key);
int dictResize(dict *d);
void *dictGetKey(const dictEntry *de);
void *dictGetVal(const dictEntry *de);
dictIterator *dictGetIterator(dict *d);
dictIterator *dictGetSafeIterator(dict *d);
void dictInitIterator(dictIterator *iter, dict *d);
void dictInitSafeIterator(dictIterator *iter, dict *d);
void dictResetIterator(dictIterator *iter);
dictEntry *dictNext(dictIterator *iter);
void dictReleaseIterator(dictIterator *iter);
dictEntry *dictGetRandomKey(dict *d);
dictEntry *dictGetFairRandomKey(dict *d);
unsigned int dictGetSomeKeys(dict *d, dictEntry **des, unsigned int count);
void dictEmpty(dict *d, void(callback)(dict *));
int dictRehash(dict *d, int n);
unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, void *privdata);
uint64_t dictGenHashFunction(const void *key, size_t len);

#endif
