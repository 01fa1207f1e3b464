# Makefile — builds @ALGO@.so, the plug-in that faultline loads with --impl
# (written by `faultline new` from faultline's templates/student.mk).
#
#   make            build @ALGO@.so
#   make grade      grade it with faultline's default @ALGO@ suite
#   make run SCENARIO=path/to/scenario.json [SEED=7]   one run, with a summary
#   make clean
#
# The compiler finds <faultline/algorithm.h> in the folder of the faultline
# that wrote this Makefile (FAULTLINE_INCLUDE: its build tree's include/ or
# its installation's PREFIX/include), else through `pkg-config faultline`
# (an installed faultline; with a non-standard prefix add PREFIX/lib/pkgconfig
# to PKG_CONFIG_PATH), or say where the header is yourself:
#   make FAULTLINE_CFLAGS="-I/path/to/include $$(pkg-config --cflags libcjson)"

ALGO      = @ALGO@
FAULTLINE ?= @FAULTLINE@
FAULTLINE_INCLUDE ?= @INCLUDEDIR@
CC        ?= cc
CFLAGS    ?= -O2 -g
WARNINGS  = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
SEED      ?= 1

ifeq ($(origin FAULTLINE_CFLAGS),undefined)
  ifneq ($(FAULTLINE_INCLUDE),)
    ifneq ($(wildcard $(FAULTLINE_INCLUDE)/faultline/algorithm.h),)
      FAULTLINE_CFLAGS := -I$(FAULTLINE_INCLUDE) $(shell pkg-config --cflags libcjson)
    endif
  endif
endif
ifeq ($(origin FAULTLINE_CFLAGS),undefined)
  ifneq ($(shell pkg-config --exists faultline && echo yes),yes)
    $(error cannot find <faultline/algorithm.h>: run `make install` in the faultline tree (or add its PREFIX/lib/pkgconfig to PKG_CONFIG_PATH), or set FAULTLINE_CFLAGS=-I/path/to/include)
  endif
  FAULTLINE_CFLAGS := $(shell pkg-config --cflags faultline)
endif

# -fvisibility=hidden: only fl_algorithm_entry (marked FL_EXPORT) is seen
# by faultline, so your helper functions never clash with its own.
$(ALGO).so: $(ALGO).c
	$(CC) -std=gnu11 $(CFLAGS) $(WARNINGS) -shared -fPIC -fvisibility=hidden \
	    $(FAULTLINE_CFLAGS) $(ALGO).c -o $@

grade: $(ALGO).so
	$(FAULTLINE) grade --algorithm $(ALGO) --impl ./$(ALGO).so

run: $(ALGO).so
	@test -n "$(SCENARIO)" || { echo "usage: make run SCENARIO=file.json [SEED=N]"; exit 2; }
	$(FAULTLINE) run $(SCENARIO) --seed $(SEED) --impl ./$(ALGO).so

clean:
	rm -f $(ALGO).so

.PHONY: grade run clean
