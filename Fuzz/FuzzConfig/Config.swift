// The configuration loader on any text: porter.yaml comes from operators, and a reload reads it
// while Porter serves. Every input must end in a configuration or a ConfigurationError, never a
// crash (a trap in a range, an index, a duration past what a timer holds).

import PorterApp

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? PorterConfiguration.parse(yaml: text, environment: ["PORTER_PASSWORD": "secret", "EMPTY": ""])
    return 0
}
