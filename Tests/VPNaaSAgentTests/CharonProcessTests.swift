import Foundation
import NetNS
import Testing

@testable import VPNaaSAgent
@testable import VPNaaSPlan

@Suite("Charon process bookkeeping")
struct CharonProcessTests {
    @Test func knownRoutersAreStateDirectoriesOnlyAndForgetKeepsOtherFiles() throws {
        let dir = "/tmp/vpnaas-charon-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let process = CharonProcess(runner: RecordingRunner(), stateDir: dir, socketDir: dir, backend: .libipsec)
        try FileManager.default.createDirectory(atPath: process.directory("router-a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: process.directory("router-b"), withIntermediateDirectories: true)
        // A dead charon's pid file: not running.
        try "999999999".write(toFile: "\(process.directory("router-b"))/charon.pid", atomically: true, encoding: .utf8)
        // The realiser's ownership file lives beside the router directories.
        try "[]".write(toFile: "\(dir)/namespaces.json", atomically: true, encoding: .utf8)
        #expect(Set(process.knownRouters()) == ["router-a", "router-b"])
        #expect(process.runningPID("router-b") == nil)
        process.forget("router-b")
        #expect(process.knownRouters() == ["router-a"])
        #expect(FileManager.default.fileExists(atPath: "\(dir)/namespaces.json"))
    }
}
