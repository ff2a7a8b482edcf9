# Porter — the two commands a newcomer needs are `make run` and `make test`.
SWIFT ?= swift
## Release builds turn off Swift's run-time exclusivity checks in every module, SwiftNIO's
## included (Package.swift can only do it for Porter's own targets): a fifth of the instructions
## per request (README § Benchmarks, `make profile`).
RELEASE = -c release --product porter -Xswiftc -enforce-exclusivity=unchecked
.PHONY: run run-sharded run-cluster test bench profile fuzz soak failover-demo build deps commands clean format deb

deps:
	@scripts/install-deps.sh

build:
	$(SWIFT) build $(RELEASE)

## A local Redis with Porter in front on 127.0.0.1:6380 (Ctrl-C stops both).
run:
	@scripts/install-deps.sh --run-only
	$(SWIFT) build $(RELEASE)
	@scripts/run-local.sh

## Three groups on a twemproxy ring behind Porter, and nutcracker with the same ring (Ctrl-C stops).
run-sharded:
	@scripts/install-deps.sh --run-only --with-nutcracker
	$(SWIFT) build $(RELEASE)
	@scripts/run-sharded.sh

## A Redis Cluster (three primaries, three replicas) behind Porter (Ctrl-C stops).
run-cluster:
	@scripts/install-deps.sh --run-only
	$(SWIFT) build $(RELEASE)
	@scripts/run-cluster.sh

## porter_<version>_<arch>.deb in .build/deb: the release binary (Swift runtime linked in), the
## systemd unit, /etc/porter/porter.yaml, the man page, completions, dashboard and alerts.
deb:
	@scripts/install-deps.sh --run-only --with-deb
	@scripts/deb.sh release .build/deb

## Every test: unit tests, and integration tests against real servers (serially: the
## integration tests start many servers, and two cores are shared with them). SWIFTNIO_STRICT
## makes a task scheduled on a shut-down event loop a crash (a later NIO's default), not a line.
test: deps
	@scripts/check-imports.sh
	$(SWIFT) build --build-tests
	@## The Debian package of the debug build, which PackagingTests installs into a fresh root
	@## (built here: SwiftPM cannot build while `swift test` runs).
	@SWIFT=$(SWIFT) scripts/deb.sh debug .build/deb-test > /dev/null
	SWIFTNIO_STRICT=1 $(SWIFT) test --skip-build --no-parallel
	@## The fuzz targets replay the committed corpus and every input a fuzzer found (a crash fails).
	@for t in FuzzRequests FuzzReplies FuzzSplit FuzzConfig; do \
		.build/debug/$$t Fuzz/Corpus/$$t Fuzz/Findings/$$t || exit 1; done

## libFuzzer with AddressSanitizer on the request and reply decoders, the splitter and the
## config loader, FUZZ_SECONDS (60) each (README § Reliability).
fuzz:
	@scripts/fuzz.sh

## 30 minutes of session traffic with random faults (kills, failovers, upgrades, hostile
## clients), and 20,000 connections at once (README § Reliability; not part of make test).
soak: deps build
	python3 scripts/soak.py $(SOAK_ARGS)

## Porter against Redis direct, twemproxy and HAProxy, interleaved, the sharded and migration runs (README § Benchmarks, § Session migration).
bench: deps build
	@scripts/bench.sh

## Instructions per request under valgrind's callgrind, and the functions that cost most.
profile: deps build
	@scripts/install-deps.sh --run-only --with-profile
	python3 scripts/profile.py

## A replica and then the primary killed under 2,000 session ops/s (see README § Failover).
failover-demo: deps build
	python3 scripts/failover_demo.py

## Regenerate Sources/Commands/CommandTable+Generated.swift from metadata/*.json.
commands:
	$(SWIFT) run porter-gen-commands

clean:
	rm -rf .build run

## swift format with the shared .swift-format (the generated command table is left as generated).
format:
	$(SWIFT) format --in-place --recursive $$(git ls-files 'Sources/*.swift' 'Tests/*.swift' Package.swift | grep -v '+Generated.swift')
