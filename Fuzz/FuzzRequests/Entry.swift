import FuzzSupport

#if FUZZING
@_cdecl("FuzzRequests_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzRequests)
}
#else
@main struct Replay {
    static func main() { _ = replay(Array(CommandLine.arguments.dropFirst())) { fuzzRequests($0, $1) } }
}
#endif
