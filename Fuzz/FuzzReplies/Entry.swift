import FuzzSupport

#if FUZZING
@_cdecl("FuzzReplies_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzReplies)
}
#else
@main struct Replay {
    static func main() { _ = replay(Array(CommandLine.arguments.dropFirst())) { fuzzReplies($0, $1) } }
}
#endif
