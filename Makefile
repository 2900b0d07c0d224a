# Switchyard: `make demo` and `make test` work on a fresh Debian 12 machine (they install what is
# missing with apt-get, as root). Everything builds into build/ (fuzzers into build-fuzz/).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
SAN_BUILD ?= build-asan
RELEASE_BUILD ?= build-release
FUZZ_SECONDS ?= 20

# prometheus: its promtool checks /metrics with Prometheus' own exposition parser in the tests.
DEBIAN_PACKAGES := cmake make g++ pkg-config curl ca-certificates openssl \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev libyaml-cpp-dev libre2-dev libcli11-dev \
  libhiredis-dev libjemalloc-dev redis-server libgtest-dev libgmock-dev libbenchmark-dev \
  wrk nginx-light clang libclang-rt-14-dev \
  prometheus

.PHONY: all deps build release test demo fuzz sanitize clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y --no-install-recommends $$missing || \
	    { $$SUDO apt-get update -q && $$SUDO apt-get install -y --no-install-recommends $$missing; } || \
	    { echo "could not install: $$missing (run as root or install them by hand)"; exit 1; }; \
	fi

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The binary as it ships (the Dockerfile's build type): -O3 with warnings as errors, which GCC 12
# checks differently from -O2 (its -Wrestrict false positives only appear here). Then a smoke run.
release: deps
	@cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(RELEASE_BUILD) -j $(JOBS) --target switchyard
	@$(RELEASE_BUILD)/switchyard check --config examples/quickstart.yaml > /dev/null
	@echo "release build: ok"

# Unit + CLI tests through CTest, then a short libFuzzer run of each parser when clang is here.
test: build release
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	@echo "make test: all tests passed"

fuzz: deps
	@if command -v clang++ > /dev/null; then \
	  cmake -S . -B $(FUZZ_BUILD) -DSWITCHYARD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null && \
	  cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_classifier fuzz_config fuzz_stream fuzz_native fuzz_responses fuzz_answer_scan fuzz_body_splice > $(FUZZ_BUILD).log 2>&1 || { tail -30 $(FUZZ_BUILD).log; exit 1; }; \
	  for f in fuzz_classifier fuzz_config fuzz_stream fuzz_native fuzz_responses fuzz_answer_scan fuzz_body_splice; do \
	    echo "fuzzing $$f for $(FUZZ_SECONDS)s"; \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$f; \
	    $(FUZZ_BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
	      -print_final_stats=0 $(FUZZ_BUILD)/corpus-$$f fuzz/seeds/$$f 2>&1 | grep -E '^(#[0-9]+ *DONE|==|SUMMARY|ERROR|Done)' ; \
	    test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	  done; \
	else echo "clang++ not found: skipping fuzzing"; fi

# The unit and CLI tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize: deps
	@cmake -S . -B $(SAN_BUILD) -DSWITCHYARD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug > /dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

demo: build
	@bash examples/demo.sh $(BUILD)/switchyard

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(SAN_BUILD) $(RELEASE_BUILD)
