# The two commands a newcomer needs: `make run` and `make test`. Everything else is below them.
BUILD_DIR      ?= build
FUZZ_BUILD_DIR ?= build-fuzz
BUILD_TYPE     ?= RelWithDebInfo
PILEMESH_WERROR ?= OFF
DEMO_DATA_DIR  ?= $(BUILD_DIR)/demo-data

.PHONY: all deps configure build run test bench fuzz clean format

all: build

deps:
	@packaging/deps/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
	  -DPILEMESH_WERROR=$(PILEMESH_WERROR)

build: configure
	cmake --build $(BUILD_DIR)

# The demo neighbourhood is seeded once into an empty data folder (its logins are printed).
run: build
	$(BUILD_DIR)/bin/pilemesh demo seed --config config/examples/demo.toml --data-dir $(DEMO_DATA_DIR)
	$(BUILD_DIR)/bin/pilemeshd --config config/examples/demo.toml --data-dir $(DEMO_DATA_DIR)

# Every test, then each libFuzzer target for a bounded time (longer runs: `make fuzz`).
TEST_FUZZ_SECONDS ?= 10
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2 --timeout 300
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

bench: build
	bench/run-all.sh $(BUILD_DIR)

# libFuzzer builds of every parser of untrusted bytes (clang); `make fuzz FUZZ_SECONDS=60`.
FUZZ_SECONDS ?= 30
fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DPILEMESH_FUZZ=ON
	cmake --build $(FUZZ_BUILD_DIR) --target fuzz-targets
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR)
