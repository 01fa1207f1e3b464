/* no_entry.c — a shared object without fl_algorithm_entry. */
int fl_not_an_algorithm(void);
int fl_not_an_algorithm(void) { return 42; }
