import FuzzSupport

#if FUZZING
@_cdecl("FuzzConfig_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzConfig)
}
#else
@main struct Replay {
    static func main() { _ = replay(Array(CommandLine.arguments.dropFirst())) { fuzzConfig($0, $1) } }
}
#endif
