# The project's front door. `make run` and `make test` work on a fresh Debian bookworm.
SHELL := /bin/bash
BUILD ?= build
DATA ?= var
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench fuzz format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPBGDPL_TESTS=OFF >/dev/null
	@ninja -C $(BUILD) -j $(JOBS) pbgdpl

run: build
	@mkdir -p $(DATA)
	@$(BUILD)/pbgdpl migrate --data-dir $(DATA)
	@$(BUILD)/pbgdpl admin init --data-dir $(DATA)
	@$(BUILD)/pbgdpl sample load --data-dir $(DATA)
	@echo "Mở http://$(LISTEN) (Ctrl+C để dừng)"
	@$(BUILD)/pbgdpl serve --data-dir $(DATA) --listen $(LISTEN)

test:
	@bash scripts/test.sh

bench: build
	@bash bench/run.sh

fuzz:
	@bash scripts/fuzz.sh long

format:
	@clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'fuzz/*.cpp' 'bench/*.cpp')

clean:
	rm -rf build build-asan build-fuzz build-bench
