// What every fuzz target shares. A target is an executable with a `LLVMFuzzerTestOneInput`.
// Built by `make fuzz` with `-sanitize=fuzzer,address -DFUZZING`, its entry point hands the
// input function to libFuzzer's driver; built as usual (`make test`), it replays the files it is
// given, the committed corpus and every input a fuzzer once found, as a regression test.

import Foundation

public typealias FuzzInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzInput
) -> CInt

/// libFuzzer's main loop over `input`, with the process' arguments (`-runs=`, `-max_total_time=`, corpus dirs).
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ input: FuzzInput
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, input)
}
#endif

/// Runs `input` on every file named (directories: every file in them); returns the count.
/// A crash is the failure: the harness reports which file was last started.
public func replay(_ paths: [String], _ input: (UnsafePointer<UInt8>?, Int) -> CInt) -> Int {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.sorted().map { path + "/" + $0 }
        } else {
            files.append(path)
        }
    }
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        let bytes = [UInt8](data)
        _ = bytes.withUnsafeBufferPointer { input($0.baseAddress, $0.count) }
    }
    print("replayed \(files.count) inputs")
    return files.count
}
