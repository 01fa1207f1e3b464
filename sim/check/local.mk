# The linearizability checker: the run's history (sim/history.c), the
# checker and its models, history readers, the `check` subcommand and its
# benchmark. Adding a model: sim/check/model_NAME.c here + a line in models.c.
libfl_a_SOURCES += \
	sim/history.c \
	sim/check/linop.c sim/check/linop.h \
	sim/check/lin.c sim/check/lin.h sim/check/lin_html.c \
	sim/check/lin_impl.h sim/check/lin_tables.c sim/check/lin_search.c \
	sim/check/lin_report.c sim/check/lin_anomaly.c \
	sim/check/lin_incr.c sim/check/lin_incr.h \
	sim/check/model.h sim/check/models.c \
	sim/check/model_register.c sim/check/model_kv.c \
	sim/check/model_lock.c sim/check/model_counter.c \
	sim/check/model_set.c sim/check/model_mutex.c sim/check/model_multireg.c \
	sim/check/hist_read.c sim/check/hist_read.h sim/check/hist_read_impl.h \
	sim/check/hist_pair.c sim/check/hist_map.c sim/check/hist_edn.c \
	sim/check/hist_jsonl.c sim/check/hist_etcd.c \
	sim/check/check_bench.h \
	sim/check/trace_link.c sim/check/trace_link.h \
	sim/check/check_bench.c
EXTRA_DIST += bench/check_bench.sh
