/* kv.h — the built-in "kv-single" algorithm table. */
#ifndef FL_ALG_KV_H
#define FL_ALG_KV_H

#include "algorithms/algorithm.h"

extern const fl_algorithm fl_kv_algorithm;

#endif
