#!/usr/bin/env bash
# Checks that every target's dependencies in Package.swift are exactly the modules its files
# import (the test suite runs it, so the two cannot drift apart).
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-package > /tmp/porter-package.json
python3 - <<'PY'
import json, os, re, sys
package = json.load(open("/tmp/porter-package.json"))
system = {"Foundation", "Testing", "Glibc", "Musl", "Darwin", "Dispatch", "XCTest"}
failed = False
for target in package["targets"]:
    name = target["name"]
    path = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + name
    declared = set()
    for dependency in target["dependencies"]:
        kind, value = next(iter(dependency.items()))
        declared.add(value[0])
    imported = set()
    swift_files = 0
    for root, _, files in os.walk(path):
        if os.path.relpath(root, path).split(os.sep)[0] in target.get("exclude", []):
            continue
        for file in files:
            if file.endswith(".swift"):
                swift_files += 1
                for line in open(os.path.join(root, file)):
                    m = re.match(r"^\s*(?:@testable |@preconcurrency )?import (\w+)", line)
                    if m:
                        imported.add(m.group(1))
    imported -= system
    # C targets (libmariadb's shim) and system libraries have no Swift imports to compare.
    if swift_files == 0:
        continue
    if imported != declared:
        failed = True
        print(f"{name}: imported but not declared: {sorted(imported - declared)}; "
              f"declared but not imported: {sorted(declared - imported)}")
sys.exit(1 if failed else 0)
PY
echo "Package.swift dependencies match the imports"
