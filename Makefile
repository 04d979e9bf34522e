# waggle — build, test, demo, benchmarks.
#   make            build build/waggle, build/libwaggle.a and build/libwaggle.so
#   make demo       install missing packages, build, run scenarios/demo.yaml into out/demo/
#   make check      install missing packages, build with -Werror, run every test
#                   (the C tests, then the Python package's pytest tests)
#   make check-python  the Python package's tests alone
#   make bench      benchmarks (figures and ratios, never pass/fail on time)
#   make bench-peers  the same workloads in graph-tool (installs python3-graph-tool), side by side
#   make asan       the test suite under AddressSanitizer + UBSan
#   make golden     rewrite tests/data/golden/ from build/waggle (a deliberate change of the draws)
#   make check-mpi  build with MPI=1 too and run tests/mpi/run.sh (sweeps on 1, 2, 4 ranks)
#   make fuzz       libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS each (clang;
#                   the folder harnesses fuzz_render, fuzz_merge: FUZZ_FOLDER_SECONDS)
#   make install    PREFIX=/usr/local DESTDIR= (bin/waggle, lib/libwaggle.{a,so*},
#                   include/waggle/*.h, lib/pkgconfig/waggle.pc, share/man/man1/waggle.1,
#                   share/man/man5/waggle-scenario.5, share/waggle/scenarios/); make uninstall
#   make MPI=1 ...  build the sweep engine on Open MPI
#   V=1             show the commands

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
MPI ?= 0
WERROR ?= 0
# ASSERTS=1 turns on WG_ASSERT, the invariant checks (make asan and make fuzz do)
ASSERTS ?= 0

PKGS := gsl igraph yaml-0.1 cairo libpng zlib libgif
CC ?= cc
ifeq ($(MPI),1)
  CC := mpicc
  BUILD := $(BUILD)-mpi
endif

# Every build installs what it needs first, as make demo does: when the libraries'
# pkg-config files (or, with MPI=1, mpicc) are missing, tools/install-deps runs
# before anything is compiled (as root it runs apt-get; otherwise it says what to run).
ifeq ($(filter clean uninstall deps,$(MAKECMDGOALS)),)
  NEED_DEPS := $(shell pkg-config --exists $(PKGS) 2>/dev/null || echo libraries)
  ifeq ($(MPI),1)
    NEED_DEPS += $(shell command -v mpicc >/dev/null 2>&1 || echo mpicc)
  endif
  ifneq ($(strip $(NEED_DEPS)),)
    $(info waggle: missing $(strip $(NEED_DEPS)): running tools/install-deps)
    DEPS_RC := $(shell MPI=$(MPI) tools/install-deps >&2; echo $$?)
    ifneq ($(DEPS_RC),0)
      $(error tools/install-deps failed: install the packages it named, then run make again)
    endif
  endif
endif

GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
ifeq ($(WERROR),1)
  WARN += -Werror
endif
OPT ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# the revision goes into build/gitrev.h, rewritten only when it changes, so
# that common.o is rebuilt after a commit and nothing else is
$(shell mkdir -p $(BUILD) && echo '#define WG_GIT_REV "$(GIT_REV)"' > $(BUILD)/gitrev.h.new && \
  (cmp -s $(BUILD)/gitrev.h.new $(BUILD)/gitrev.h || mv $(BUILD)/gitrev.h.new $(BUILD)/gitrev.h); \
  rm -f $(BUILD)/gitrev.h.new)
CPPFLAGS += -Iinclude -I$(BUILD) -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DWG_MPI=$(MPI)
ifeq ($(ASSERTS),1)
  CPPFLAGS += -DWG_ASSERTS
endif
# -fPIC: the same objects go into libwaggle.a and libwaggle.so;
# -fno-semantic-interposition keeps calls inside the library direct (and
# inlinable), as they are without -fPIC
CFLAGS += -std=c11 $(OPT) -fopenmp -fPIC -fno-semantic-interposition $(WARN) $(PKG_CFLAGS) -MMD -MP
LDLIBS += $(PKG_LIBS) -lm
LDFLAGS += -fopenmp

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

LIB_SRC := $(wildcard sim/*.c sim/*/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC := $(wildcard cmd/*.c)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libwaggle.a
BIN := $(BUILD)/waggle
# the shared library: libwaggle.so.VERSION, its soname libwaggle.so.MAJOR and
# the link name libwaggle.so (symlinks), VERSION from WG_VERSION in common.h
VERSION := $(shell sed -n 's/^\#define WG_VERSION "\(.*\)"/\1/p' include/waggle/common.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libwaggle.so.$(SOMAJOR)
SO_FILE := $(BUILD)/libwaggle.so.$(VERSION)
SO := $(BUILD)/libwaggle.so
# waggle.1 is made from the command's own help (tools/mkman), waggle-scenario.5 written
MAN1 := $(BUILD)/waggle.1
MAN5 := man/waggle-scenario.5
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard tools/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps demo check check-python check-mpi test golden bench bench-peers asan fuzz clean install uninstall

all: $(BIN) $(SO) $(MAN1)

deps:
	$(Q)MPI=$(MPI) tools/install-deps

# Objects are remade when OBJ_KIND changes (as when they became position-
# independent), not only when a source is newer; make never compares flags.
OBJ_KIND := pic
$(shell echo '$(OBJ_KIND)' > $(BUILD)/obj.kind.new && \
  (cmp -s $(BUILD)/obj.kind.new $(BUILD)/obj.kind || mv $(BUILD)/obj.kind.new $(BUILD)/obj.kind); \
  rm -f $(BUILD)/obj.kind.new)

$(BUILD)/sim/%.o: sim/%.c $(BUILD)/obj.kind
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/cmd/%.o: cmd/%.c $(BUILD)/obj.kind
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/obj.kind
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags cmocka) -c $< -o $@

$(BUILD)/tools/%.o: tools/%.c $(BUILD)/obj.kind
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# the archive is remade when its list of members changes, not only when a member
# is newer; members keep their base names, so every file of sim/ has its own
$(shell echo '$(LIB_OBJ)' > $(BUILD)/lib.objs.new && \
  (cmp -s $(BUILD)/lib.objs.new $(BUILD)/lib.objs || mv $(BUILD)/lib.objs.new $(BUILD)/lib.objs); \
  rm -f $(BUILD)/lib.objs.new)
ifneq ($(words $(notdir $(LIB_SRC))),$(words $(sort $(notdir $(LIB_SRC)))))
  $(error two files of sim/ share a base name: $(sort $(notdir $(LIB_SRC))))
endif
$(LIB): $(LIB_OBJ) $(BUILD)/lib.objs
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJ)

# The shared library records what it needs (igraph, GSL, ... and OpenMP), so a
# program links it with -lwaggle alone.
$(SO_FILE): $(LIB_OBJ) $(BUILD)/lib.objs
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $@ $(LIB_OBJ) $(LDLIBS)

$(BUILD)/$(SONAME): $(SO_FILE)
	$(Q)ln -sf $(notdir $<) $@

$(SO): $(BUILD)/$(SONAME)
	$(Q)ln -sf $(SONAME) $@

$(MAN1): $(BIN) tools/mkman
	$(Q)tools/mkman $(BIN) > $@.tmp && mv $@.tmp $@

$(BIN): $(CMD_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# every test program links tests/wg_test.c (running the command, files);
# test_golden also links nettle (SHA-256)
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/wg_test.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)
$(BUILD)/tests/test_golden.o: CFLAGS += $(shell pkg-config --cflags nettle)
$(BUILD)/tests/test_golden: LDLIBS += $(shell pkg-config --libs nettle)

$(BUILD)/tools/%: $(BUILD)/tools/%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(BIN) run scenarios/demo.yaml -o out/demo
	@echo "demo written to out/demo/"

check: deps
	$(Q)$(MAKE) --no-print-directory WERROR=1 $(BIN) $(SO) $(TEST_BIN)
	$(Q)BUILD=$(BUILD) WG_PYTHON_TESTS=tests/python tools/run-tests $(TEST_BIN)

test: $(BIN) $(SO) $(TEST_BIN)
	$(Q)BUILD=$(BUILD) WG_PYTHON_TESTS=tests/python tools/run-tests $(TEST_BIN)

# the Python package's tests alone (pytest over build/libwaggle.so)
check-python: $(BIN) $(SO)
	$(Q)BUILD=$(BUILD) WG_PYTHON_TESTS=tests/python tools/run-tests

# the checksums test_golden compares with, rewritten from this build's outputs;
# a commit that changes them says why
golden: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) $(BUILD)/tests/test_golden
	$(Q)BUILD=$(BUILD) $(BUILD)/tests/test_golden --update

check-mpi:
	$(Q)MPI=1 tools/install-deps
	$(Q)$(MAKE) --no-print-directory WERROR=1 $(BIN)
	$(Q)$(MAKE) --no-print-directory MPI=1 WERROR=1 build-mpi/waggle
	$(Q)BUILD=$(BUILD) tests/mpi/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=build-bench build-bench/waggle $(BENCH_SRC:tools/%.c=build-bench/tools/%)
	$(Q)$(MAKE) --no-print-directory OPT="-O3 -g" BUILD=build-bench-generic $(BENCH_SRC:tools/%.c=build-bench-generic/tools/%)
	$(Q)BUILD=build-bench GENERIC=build-bench-generic tools/bench
	$(Q)BUILD=build-bench tools/bench-optimize
	$(Q)MPI=1 tools/install-deps
	$(Q)$(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=build-bench-mpi MPI=1 build-bench-mpi/waggle
	$(Q)BUILD=build-bench BUILD_MPI=build-bench-mpi tools/bench-sweep
	$(Q)BUILD=build-bench BUILD_MPI=build-bench-mpi tools/bench-partition

bench-peers:
	$(Q)WG_DEPS_EXTRA=python3-graph-tool tools/install-deps
	$(Q)$(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=build-bench $(BENCH_SRC:tools/%.c=build-bench/tools/%)
	$(Q)BUILD=build-bench tools/bench-peers

asan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan WERROR=1 ASSERTS=1 \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fopenmp -fsanitize=address,undefined" build-asan/waggle build-asan/libwaggle.so \
	  $(TEST_SRC:tests/%.c=build-asan/tests/%)
	$(Q)ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp BUILD=build-asan WG_ASAN=1 tools/run-tests $(TEST_SRC:tests/%.c=build-asan/tests/%)

# libFuzzer: the library and each tests/fuzz/fuzz_*.c built by clang with
# ASan + UBSan; tools/fuzz builds the corpora and runs each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
# the harnesses of folders (render, merge) draw or write charts: fewer inputs a
# second, their own time (FUZZ_FOLDER_SECONDS, default FUZZ_SECONDS)
FUZZ_FOLDERS := fuzz_render fuzz_merge
FUZZ_FOLDER_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $< -o $@ $(LIB) $(LDLIBS) $(LDFLAGS)

fuzz:
	$(Q)WG_DEPS_EXTRA="clang libclang-rt-14-dev libomp-14-dev" tools/install-deps
	$(Q)$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz WERROR=1 ASSERTS=1 \
	  OPT="-O1 -g $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" LDFLAGS="-fopenmp $(FUZZ_FLAGS)" \
	  $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/fuzz/%)
	$(Q)tools/fuzz build-fuzz $(FUZZ_SECONDS) $(foreach f,$(FUZZ_SRC:tests/fuzz/%.c=%),$(if \
	  $(filter $(FUZZ_FOLDERS),$(f)),$(f)=$(FUZZ_FOLDER_SECONDS),$(f)))

# waggle.pc is written by install itself, for the PREFIX it installs into
# (DESTDIR stays out of it); the private parts are what a static link needs.
define PC_TEXT
prefix=$(PREFIX)
exec_prefix=$${prefix}
libdir=$${exec_prefix}/lib
includedir=$${prefix}/include

Name: waggle
Description: word of mouth on customer networks, simulated agent by agent (C11, OpenMP)
Version: $(VERSION)
Requires.private: $(PKGS)
Cflags: -I$${includedir}
Libs: -L$${libdir} -lwaggle
Libs.private: -fopenmp -lm
endef
export PC_TEXT

INSTALL_LIB := $(DESTDIR)$(PREFIX)/lib
INSTALL_SHARE := $(DESTDIR)$(PREFIX)/share
install: $(BIN) $(LIB) $(SO) $(MAN1)
	install -d $(DESTDIR)$(PREFIX)/bin $(INSTALL_LIB)/pkgconfig $(DESTDIR)$(PREFIX)/include/waggle
	install -d $(INSTALL_SHARE)/man/man1 $(INSTALL_SHARE)/man/man5 $(INSTALL_SHARE)/waggle/scenarios/data
	install -m 644 $(MAN1) $(INSTALL_SHARE)/man/man1/waggle.1
	install -m 644 $(MAN5) $(INSTALL_SHARE)/man/man5/waggle-scenario.5
	install -m 644 scenarios/*.yaml scenarios/README.md $(INSTALL_SHARE)/waggle/scenarios/
	install -m 644 scenarios/data/* $(INSTALL_SHARE)/waggle/scenarios/data/
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/waggle
	install -m 644 $(LIB) $(INSTALL_LIB)/libwaggle.a
	install -m 755 $(SO_FILE) $(INSTALL_LIB)/$(notdir $(SO_FILE))
	ln -sf $(notdir $(SO_FILE)) $(INSTALL_LIB)/$(SONAME)
	ln -sf $(SONAME) $(INSTALL_LIB)/libwaggle.so
	install -m 644 include/waggle/*.h $(DESTDIR)$(PREFIX)/include/waggle/
	printf '%s\n' "$$PC_TEXT" > $(INSTALL_LIB)/pkgconfig/waggle.pc
	chmod 644 $(INSTALL_LIB)/pkgconfig/waggle.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/waggle $(INSTALL_LIB)/libwaggle.a $(INSTALL_LIB)/libwaggle.so \
	  $(INSTALL_LIB)/$(SONAME) $(INSTALL_LIB)/$(notdir $(SO_FILE)) $(INSTALL_LIB)/pkgconfig/waggle.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/waggle $(INSTALL_SHARE)/waggle
	rm -f $(INSTALL_SHARE)/man/man1/waggle.1 $(INSTALL_SHARE)/man/man5/waggle-scenario.5

clean:
	rm -rf build build-* out python/build python/*.egg-info python/waggle/_built.py

-include $(wildcard $(BUILD)/sim/*.d $(BUILD)/sim/*/*.d $(BUILD)/cmd/*.d $(BUILD)/tests/*.d $(BUILD)/tools/*.d)
