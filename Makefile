# The two commands: `make demo` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Sizes are deterministic (the size guard in make test): the crate cache's location, which
# panic messages would carry into a wasm, is written as /cargo whatever CARGO_HOME is (the
# release modules carry no source paths at all: scripts/cargo-wasm.mjs).
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CARGO_HOME_DIR)=/cargo
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: setup build js-api demo test test-native test-browser test-node bench

setup:
	@scripts/setup.sh

## Widget and demo page, release build into dist/.
build: setup
	trunk build --release

## The drop-in npm package (UMD + ES module + types) into pkg/.
js-api: setup
	node scripts/build-js-api.mjs

## Build, start the local server on $(HOST):$(PORT), print the URL.
demo: build
	cargo build --release -p captivate-server
	@echo "Demo: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	./target/release/captivate-server --host $(HOST) --port $(PORT) --dist dist --db target/demo.db

## Every layer's tests.
test: setup test-native test-browser test-node

test-native:
	cargo test --workspace

test-browser:
	cargo test --target wasm32-unknown-unknown --features demo --test web

## The official captivate-chat-api 7.0.0 (and, later, ours) driven from Node against the local server.
test-node: js-api build
	cargo build -p captivate-server
	node --experimental-websocket --test --test-force-exit --test-timeout=300000 tests/node/

## Sizes, start-up and throughput next to the alternatives; writes BENCHMARKS.md.
bench: js-api build
	cargo build --release -p captivate-server
	CAPTIVATE_SERVER_BIN=target/release/captivate-server node --experimental-websocket scripts/bench.mjs
