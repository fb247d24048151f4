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

# (package: both npm packages, packed into target/packages/)
.PHONY: setup build js-api package demo dev lint test test-native test-browser test-node bench

setup:
	@scripts/setup.sh

## Widget and demo page, release build into dist/.
build: setup
	trunk build --release

## The drop-in npm package (UMD + ES module + types) into pkg/.
js-api: setup
	node scripts/build-js-api.mjs

## Both npm packages, versioned together: the drop-in (pkg/) and the widget's,
## captivate-chat-widget (pkg-widget/), packed into target/packages/.
package: js-api build
	node scripts/build-widget-package.mjs
	mkdir -p target/packages
	npm pack ./pkg ./pkg-widget --pack-destination target/packages

## Build, start the local server on $(HOST):$(PORT), print the URL.
demo: build
	cargo build --release -p captivate-server
	@echo "Demo: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	./target/release/captivate-server --host $(HOST) --port $(PORT) --dist dist --db target/demo.db

## The edit loop: the widget in debug (one module, seconds to rebuild) served by Trunk on
## $(HOST):$(PORT), rebuilt on every change under src/, markdown/, styles/ or www/ and the page
## reloaded; the local server on $(HOST):$(DEV_BACKEND_PORT) behind it (Trunk.toml proxies to it).
DEV_BACKEND_PORT ?= 8081
dev: setup
	cargo build -p captivate-server
	@echo "Dev: http://$(HOST):$(PORT)/  (rebuilds on change; Ctrl+C stops it)"
	./target/debug/captivate-server --host $(HOST) --port $(DEV_BACKEND_PORT) --db target/dev.db \
	  --public-url http://$(HOST):$(PORT) & server=$$!; trap 'kill $$server' EXIT; \
	  trunk serve --address $(HOST) --port $(PORT) --dist target/dev

## Formatting and lints, as CI runs them: native, and wasm32 with every feature (the drop-in,
## the widget as released and as `make dev` builds it, the browser tests).
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p captivate-chat --target wasm32-unknown-unknown --lib --test web --locked --features split -- -D warnings
	cargo clippy -p captivate-chat --target wasm32-unknown-unknown --lib --locked --no-default-features --features widget -- -D warnings

## Every layer's tests.
test: setup lint test-native test-browser test-node

test-native:
	cargo test --workspace

test-browser:
	cargo test --target wasm32-unknown-unknown --test web

## The official captivate-chat-api 7.0.0 (and, later, ours) driven from Node against the local server.
test-node: package
	cargo build -p captivate-server
	node --experimental-websocket --test --test-force-exit --test-timeout=300000 tests/node/

## Sizes, start-up and throughput next to the alternatives; writes BENCHMARKS.md.
bench: package
	cargo build --release -p captivate-server
	CAPTIVATE_SERVER_BIN=target/release/captivate-server node --experimental-websocket scripts/bench.mjs
