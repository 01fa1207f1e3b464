/* heap_baseline_main.c — bench/heap_baseline [timers|mesh] [NODES] [EVENTS]:
 * runs the bare-heap baseline and prints millions of events per CPU-second,
 * so anyone can set faultline's engine figures against the heap's limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/heap_baseline.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    fl_heap_workload w = FL_HEAP_MESH;
    if (argc > 1 && strcmp(argv[1], "timers") == 0)
        w = FL_HEAP_TIMERS;
    else if (argc > 1 && strcmp(argv[1], "mesh") != 0) {
        fprintf(stderr, "usage: heap_baseline [timers|mesh] [NODES] [EVENTS]\n");
        return 2;
    }
    size_t nodes = argc > 2 ? strtoul(argv[2], NULL, 10) : 10;
    unsigned long long events = argc > 3 ? strtoull(argv[3], NULL, 10) : 3000000;
    double c0 = cpu_now();
    uint64_t sum = fl_heap_baseline_run(w, nodes, events);
    double dt = cpu_now() - c0;
    printf("heap baseline, %s, %zu nodes: %.2f M events per CPU-second "
           "(%llu events, checksum %llx)\n", w == FL_HEAP_TIMERS ? "timers" : "mesh",
           nodes, (double)events / (dt > 0 ? dt : 1e-9) / 1e6, events,
           (unsigned long long)sum);
    return 0;
}
