import FuzzSupport

#if FUZZING
@_cdecl("FuzzSplit_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzSplit)
}
#else
@main struct Replay {
    static func main() { _ = replay(Array(CommandLine.arguments.dropFirst())) { fuzzSplit($0, $1) } }
}
#endif
